package mor

import (
	"context"
)

// Level is the severity of a log entry passed to Config.Log.
type Level int

const (
	LevelTrace Level = iota
	LevelDebug
)

// LogFunc receives the client's log entries. Fields never hold the key, the
// password or a hash; the caller may mask them again by key.
type LogFunc func(ctx context.Context, level Level, msg string, fields map[string]any)

// logs reports whether entries are read; fields are built only when they are.
func (c *Client) logs() bool { return c.cfg.Log != nil }

// logFields are a log entry's fields: nil when nothing logs, so that an
// entry nobody reads is not built.
type logFields map[string]any

// set adds a field to an entry that will be logged.
func (f logFields) set(key string, value any) {
	if f != nil {
		f[key] = value
	}
}

func (c *Client) log(ctx context.Context, level Level, msg string, fields map[string]any) {
	if c.logs() {
		c.cfg.Log(ctx, level, msg, fields)
	}
}
