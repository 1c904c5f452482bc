package api

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"

	"github.com/guichet/guichet/core/errs"
)

// queueRef is a queue given by id (a number) or by name (a string).
type queueRef struct {
	set  bool
	id   int64
	name string
}

func (r *queueRef) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	r.set = true
	if err := json.Unmarshal(b, &r.id); err == nil {
		return nil
	}
	if err := json.Unmarshal(b, &r.name); err != nil || r.name == "" {
		return errs.Fields("invalid queue", map[string]string{"queue": "must be a queue id or name"})
	}
	return nil
}

func (a *API) resolveQueue(ctx context.Context, r queueRef) (int64, error) {
	if !r.set || r.id != 0 {
		return r.id, nil
	}
	q, err := a.Queues.ByName(ctx, r.name)
	if errs.Is(err, errs.NotFound) {
		return 0, errs.Fields("unknown queue", map[string]string{"queue": "no queue named " + strconv.Quote(r.name)})
	}
	if err != nil {
		return 0, err
	}
	return q.ID, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
