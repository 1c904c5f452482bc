package pluginhost

import (
	"encoding/json"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Log levels and sources of a plugin's log lines.
const (
	levelDebug = "debug"
	levelInfo  = "info"
	levelWarn  = "warn"
	levelError = "error"

	sourceHostAPI = "plugin" // HostAPI.Log
	sourceStderr  = "stderr" // the process's standard error
	sourceHost    = "host"   // the host's own events about the plugin
)

// maxLogLine caps one stored line; a plugin must not fill the core's memory
// through its log.
const maxLogLine = 2048

// LogLine is one recent log line of a plugin, as the console shows it.
type LogLine struct {
	At      time.Time
	Level   string
	Source  string
	Message string
	Fields  map[string]string
}

// logRing keeps the last n lines of one plugin.
type logRing struct {
	mu    sync.Mutex
	lines []LogLine
	next  int
	full  bool
	last  string // last stderr line, quoted in crash reports
}

func newLogRing(n int) *logRing { return &logRing{lines: make([]LogLine, n)} }

func (r *logRing) add(level, source, msg string) {
	r.addLine(LogLine{At: time.Now(), Level: level, Source: source, Message: msg})
}

func (r *logRing) addLine(l LogLine) {
	l.Message = clip(l.Message)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines[r.next] = l
	r.next = (r.next + 1) % len(r.lines)
	r.full = r.full || r.next == 0
	if l.Source == sourceStderr {
		r.last = l.Message
	}
}

// Lines returns the kept lines, oldest first.
func (r *logRing) Lines() []LogLine {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.full {
		return append([]LogLine(nil), r.lines[:r.next]...)
	}
	return append(append([]LogLine(nil), r.lines[r.next:]...), r.lines[:r.next]...)
}

func (r *logRing) lastStderr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

func clip(s string) string {
	if len(s) <= maxLogLine {
		return strings.ToValidUTF8(s, "?")
	}
	s = s[:maxLogLine]
	for !utf8.ValidString(s) && len(s) > 0 {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// stderrWriter turns the process's stderr into lines. go-plugin writes a
// line and its newline in separate calls, so bytes are buffered until a
// newline. JSON lines from the SDK's hclog keep their level and message.
func (r *logRing) stderrWriter() *lineWriter { return &lineWriter{ring: r} }

type lineWriter struct {
	ring *logRing
	mu   sync.Mutex
	buf  []byte
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, c := range b {
		if c == '\n' {
			w.flush()
			continue
		}
		if len(w.buf) < maxLogLine+1 {
			w.buf = append(w.buf, c)
		}
	}
	return len(b), nil
}

func (w *lineWriter) flush() {
	line := strings.TrimSpace(string(w.buf))
	w.buf = w.buf[:0]
	if line == "" {
		return
	}
	l := LogLine{At: time.Now(), Level: levelInfo, Source: sourceStderr, Message: line}
	var entry map[string]any
	if json.Unmarshal([]byte(line), &entry) == nil {
		if m, ok := entry["@message"].(string); ok {
			l.Message = m
		}
		if lv, ok := entry["@level"].(string); ok {
			l.Level = lv
		}
	}
	w.ring.addLine(l)
}
