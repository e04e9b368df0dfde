package tableautest

import (
	"testing"
	"time"
)

// FuzzScheduleFrequency: parsing never panics, and every schedule it
// accepts has a next run after now, found in bounded time.
func FuzzScheduleFrequency(f *testing.F) {
	f.Add("Hourly", "08:00:00", "18:00:00", "2", "", "", "")
	f.Add("Hourly", "23:30:00", "00:30:00", "", "15", "Sunday", "")
	f.Add("Weekly", "23:00:00", "", "", "", "Friday", "")
	f.Add("Monthly", "01:00:00", "", "", "", "", "31")
	f.Add("Monthly", "01:00:00", "", "", "", "", "LastDay")
	f.Add("Daily", "00:00:00", "", "24", "", "", "")
	f.Fuzz(func(t *testing.T, freq, start, end, hours, minutes, weekDay, monthDay string) {
		fd := &frequencyDetailsXML{Start: start, End: end}
		fd.Intervals = append(fd.Intervals, struct {
			Hours    string `xml:"hours,attr"`
			Minutes  string `xml:"minutes,attr"`
			WeekDay  string `xml:"weekDay,attr"`
			MonthDay string `xml:"monthDay,attr"`
		}{hours, minutes, weekDay, monthDay})
		parsed, aerr := parseFrequency(freq, fd)
		if aerr != nil {
			return
		}
		now := time.Date(2026, 2, 28, 23, 59, 0, 0, time.UTC)
		if next := parsed.nextRun(now); !next.After(now) {
			t.Fatalf("next run %s is not after %s for %+v", next, now, parsed)
		}
	})
}
