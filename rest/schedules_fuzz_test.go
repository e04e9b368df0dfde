package rest_test

import (
	"testing"

	"github.com/tableau-go/sdk/rest"
)

// FuzzRecurrenceCheck: the check never panics on any recurrence.
func FuzzRecurrenceCheck(f *testing.F) {
	f.Add("Hourly", "06:00:00", "22:00:00", "4", "", "", "")
	f.Add("Weekly", "23:00:00", "", "", "", "Monday", "")
	f.Add("Monthly", "01:00:00", "", "", "", "", "LastDay")
	f.Add("Daily", "25:61:00", "x", "", "15", "", "0")
	f.Fuzz(func(t *testing.T, freq, start, end, hours, minutes, weekDay, monthDay string) {
		r := rest.Recurrence{Frequency: freq, Details: rest.FrequencyDetails{Start: start, End: end,
			Intervals: []rest.Interval{{Hours: hours, Minutes: minutes, WeekDay: weekDay, MonthDay: monthDay}}}}
		_ = r.Check()
	})
}
