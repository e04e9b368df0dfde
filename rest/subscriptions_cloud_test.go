package rest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tableau-go/sdk/rest"
	"github.com/tableau-go/sdk/tableau"
	"github.com/tableau-go/sdk/tableau/tableautest"
)

// TestSubscriptionsCloudSchedule: a subscription with a schedule of its
// own (Tableau Cloud) is created, read back with its frequency details,
// moved to a server schedule and back; bad combinations fail before any
// request.
func TestSubscriptionsCloudSchedule(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, nil, nil)
	seed, err := srv.Seed(tableautest.SeedOptions{Workbooks: 1})
	if err != nil {
		t.Fatal(err)
	}
	me := c.Session.UserID()
	weekly := rest.WeeklyRecurrence("08:30:00", time.Monday, time.Thursday)
	sub, err := c.Subscriptions.Create(ctx, rest.SubscriptionCreate{Subject: "Weekly", ContentType: "Workbook",
		ContentID: seed.WorkbookIDs[0], Recurrence: &weekly, UserID: me})
	if err != nil {
		t.Fatal(err)
	}
	sc := sub.Schedule
	if sc.ID != "" || sc.Frequency != rest.Weekly || sc.NextRunAt.IsZero() || sc.FrequencyDetails.Start != "08:30:00" ||
		len(sc.FrequencyDetails.Intervals) != 2 || sc.FrequencyDetails.Intervals[1].WeekDay != "Thursday" {
		t.Fatalf("inline schedule %+v", sc)
	}
	got, err := c.Subscriptions.Get(ctx, sub.ID)
	if err != nil || got.Schedule.Frequency != rest.Weekly || got.Schedule.ID != "" {
		t.Fatalf("get %+v %v", got, err)
	}

	server, err := c.Schedules.Create(ctx, rest.ScheduleCreate{Name: "mornings", Type: rest.ScheduleSubscription, Recurrence: rest.DailyRecurrence("07:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	moved, err := c.Subscriptions.Update(ctx, sub.ID, rest.SubscriptionUpdate{ScheduleID: &server.ID})
	if err != nil || moved.Schedule.ID != server.ID || moved.Schedule.Frequency != "" {
		t.Fatalf("to a server schedule %+v %v", moved, err)
	}
	hourly := rest.HourlyRecurrence("06:00:00", "18:00:00", 4)
	back, err := c.Subscriptions.Update(ctx, sub.ID, rest.SubscriptionUpdate{Recurrence: &hourly})
	if err != nil || back.Schedule.ID != "" || back.Schedule.Frequency != rest.Hourly || back.Schedule.FrequencyDetails.End != "18:00:00" {
		t.Fatalf("back to its own schedule %+v %v", back, err)
	}

	before := srv.Stats().Requests
	for name, err := range map[string]error{
		"neither": func() error {
			_, err := c.Subscriptions.Create(ctx, rest.SubscriptionCreate{Subject: "x", ContentType: "View", ContentID: "v", UserID: me})
			return err
		}(),
		"both": func() error {
			_, err := c.Subscriptions.Create(ctx, rest.SubscriptionCreate{Subject: "x", ContentType: "View", ContentID: "v", UserID: me, ScheduleID: server.ID, Recurrence: &weekly})
			return err
		}(),
		"bad recurrence": func() error {
			bad := rest.DailyRecurrence("25:00:00")
			_, err := c.Subscriptions.Update(ctx, sub.ID, rest.SubscriptionUpdate{Recurrence: &bad})
			return err
		}(),
	} {
		if !errors.Is(err, tableau.ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", name, err)
		}
	}
	if n := srv.Stats().Requests; n != before {
		t.Fatalf("%d requests sent for invalid arguments", n-before)
	}
}
