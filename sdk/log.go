package sdk

import (
	"context"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"

	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// Logger writes a plugin's log lines to the host. Before the host offers its
// HostAPI (or when a HostAPI call fails) lines go to stderr as JSON through
// hclog, which go-plugin relays into the host's log; afterwards they go
// through HostAPI.Log, which the console shows on the plugin's page.
type Logger struct {
	stderr hclog.Logger

	mu   sync.Mutex
	host pluginv1.HostAPIClient
}

// NewLogger returns a Logger that writes to l until a host is attached.
func NewLogger(l hclog.Logger) *Logger { return &Logger{stderr: l} }

// setHost switches the logger to h and returns the previous host.
func (l *Logger) setHost(h pluginv1.HostAPIClient) pluginv1.HostAPIClient {
	l.mu.Lock()
	defer l.mu.Unlock()
	prev := l.host
	l.host = h
	return prev
}

// Debug logs detail for plugin authors. kv are key, value pairs.
func (l *Logger) Debug(msg string, kv ...string) { l.log(pluginv1.LogLevel_LOG_LEVEL_DEBUG, msg, kv) }

// Info logs normal operation. kv are key, value pairs.
func (l *Logger) Info(msg string, kv ...string) { l.log(pluginv1.LogLevel_LOG_LEVEL_INFO, msg, kv) }

// Warn logs a problem the plugin worked around. kv are key, value pairs.
func (l *Logger) Warn(msg string, kv ...string) { l.log(pluginv1.LogLevel_LOG_LEVEL_WARN, msg, kv) }

// Error logs a failed operation. kv are key, value pairs.
func (l *Logger) Error(msg string, kv ...string) { l.log(pluginv1.LogLevel_LOG_LEVEL_ERROR, msg, kv) }

func (l *Logger) log(level pluginv1.LogLevel, msg string, kv []string) {
	fields := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		fields[kv[i]] = kv[i+1]
	}
	l.mu.Lock()
	host := l.host
	l.mu.Unlock()
	if host != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, err := host.Log(ctx, &pluginv1.LogRequest{Level: level, Message: msg, Fields: fields})
		if err == nil {
			return
		}
	}
	args := make([]any, 0, len(kv))
	for _, s := range kv {
		args = append(args, s)
	}
	switch level {
	case pluginv1.LogLevel_LOG_LEVEL_DEBUG:
		l.stderr.Debug(msg, args...)
	case pluginv1.LogLevel_LOG_LEVEL_WARN:
		l.stderr.Warn(msg, args...)
	case pluginv1.LogLevel_LOG_LEVEL_ERROR:
		l.stderr.Error(msg, args...)
	default:
		l.stderr.Info(msg, args...)
	}
}
