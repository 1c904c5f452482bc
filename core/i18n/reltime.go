package i18n

import "time"

// Ago says how long ago t was, relative to now, as "il y a 3 heures".
func (l *Localizer) Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return l.T("common.time.just_now")
	case d < time.Hour:
		return l.N("common.time.minutes_ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return l.N("common.time.hours_ago", int(d/time.Hour))
	case d < 30*24*time.Hour:
		return l.N("common.time.days_ago", int(d/(24*time.Hour)))
	case d < 365*24*time.Hour:
		return l.N("common.time.months_ago", int(d/(30*24*time.Hour)))
	}
	return l.N("common.time.years_ago", int(d/(365*24*time.Hour)))
}
