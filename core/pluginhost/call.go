package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/sony/gobreaker/v2"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/guichet/guichet/core/errs"
)

// newBreaker opens a capability's circuit after BreakerFailures failed
// calls in a row. A plugin's honest answers (not found, invalid argument)
// are successes; a caller that gave up is neither.
func (h *Host) newBreaker(id, capName string) *gobreaker.CircuitBreaker[any] {
	return gobreaker.NewCircuitBreaker[any](gobreaker.Settings{
		Name:        id + "/" + capName,
		MaxRequests: 1,
		Timeout:     h.opt.BreakerOpenFor,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= h.opt.BreakerFailures },
		IsSuccessful: func(err error) bool {
			switch status.Code(err) {
			case codes.OK, codes.NotFound, codes.InvalidArgument, codes.FailedPrecondition:
				return !errors.Is(err, errBadReply)
			}
			return false
		},
		IsExcluded: func(err error) bool { return status.Code(err) == codes.Canceled || errors.Is(err, context.Canceled) },
		OnStateChange: func(name string, from, to gobreaker.State) {
			h.log.Warn("plugin circuit breaker", "breaker", name, "from", from.String(), "to", to.String())
		},
	})
}

// errBadReply marks a reply that arrived but failed the host's checks.
var errBadReply = errors.New("invalid reply")

// call runs fn against capability capName of plugin i under the
// capability's deadline and circuit breaker, and turns failures into
// errs kinds with a message an admin or agent can act on.
func call[T any](ctx context.Context, i *instance, capName string, fn func(context.Context, any) (T, error)) (T, error) {
	var zero T
	p, state, reason := i.live()
	if p == nil {
		msg := fmt.Sprintf("plugin %s is %s", i.id, state)
		if reason != "" {
			msg += ": " + reason
		}
		return zero, errs.E(errs.Unavailable, "%s", msg)
	}
	svc, br := p.caps[capName], p.breakers[capName]
	if svc == nil {
		return zero, errs.E(errs.Unavailable, "plugin %s does not provide %s", i.id, capName)
	}
	d := i.h.timeout(capName)
	cctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	out, err := br.Execute(func() (any, error) { return fn(cctx, svc) })
	if err != nil {
		return zero, callError(i.id, capName, d, err)
	}
	return out.(T), nil
}

func callError(id, capName string, d time.Duration, err error) error {
	switch {
	case errors.Is(err, gobreaker.ErrOpenState), errors.Is(err, gobreaker.ErrTooManyRequests):
		return errs.Wrap(errs.Unavailable, err, fmt.Sprintf("plugin %s: %s is paused after repeated failures", id, capName))
	case errors.Is(err, errBadReply):
		return errs.Wrap(errs.Unavailable, err, fmt.Sprintf("plugin %s sent an invalid %s reply", id, capName))
	}
	st, _ := status.FromError(err)
	switch st.Code() {
	case codes.DeadlineExceeded:
		return errs.Wrap(errs.Unavailable, err, fmt.Sprintf("plugin %s did not answer within %s", id, d))
	case codes.NotFound:
		return errs.Wrap(errs.NotFound, err, fmt.Sprintf("%s: not found", id))
	case codes.InvalidArgument:
		return errs.Wrap(errs.Invalid, err, fmt.Sprintf("plugin %s refused the request: %s", id, clip(st.Message())))
	case codes.ResourceExhausted:
		return errs.Wrap(errs.Unavailable, err, fmt.Sprintf("plugin %s sent a reply larger than the limit", id))
	case codes.Canceled:
		return errs.Wrap(errs.Unavailable, err, "the request was cancelled")
	case codes.Unavailable:
		return errs.Wrap(errs.Unavailable, err, fmt.Sprintf("plugin %s or the system behind it is unreachable", id))
	}
	return errs.Wrap(errs.Unavailable, err, fmt.Sprintf("plugin %s failed", id))
}

// replyLimits bound what a reply may hold, whatever gRPC let through.
type replyLimits struct {
	maxString   int  // bytes per string field
	maxItems    int  // entries per repeated field
	allowCtrl   bool // control characters other than tab and newlines
	description string
}

// checkReply walks every field of m and returns errBadReply (wrapped with
// the first problem) when a limit is broken: a plugin's reply is untrusted
// input.
func checkReply(m proto.Message, lim replyLimits) error {
	if m == nil {
		return fmt.Errorf("%w: empty %s", errBadReply, lim.description)
	}
	if err := walk(m.ProtoReflect(), lim); err != nil {
		return fmt.Errorf("%w: %s: %v", errBadReply, lim.description, err)
	}
	return nil
}

func walk(msg protoreflect.Message, lim replyLimits) error {
	var err error
	msg.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			l := v.List()
			if l.Len() > lim.maxItems {
				err = fmt.Errorf("%s has %d entries (limit %d)", fd.Name(), l.Len(), lim.maxItems)
			}
			for j := 0; j < l.Len() && err == nil; j++ {
				err = checkValue(fd, l.Get(j), lim)
			}
		case fd.IsMap():
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				err = checkValue(fd.MapValue(), mv, lim)
				return err == nil
			})
		default:
			err = checkValue(fd, v, lim)
		}
		return err == nil
	})
	return err
}

func checkValue(fd protoreflect.FieldDescriptor, v protoreflect.Value, lim replyLimits) error {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return walk(v.Message(), lim)
	case protoreflect.StringKind:
		s := v.String()
		if len(s) > lim.maxString {
			return fmt.Errorf("%s is %d bytes long (limit %d)", fd.Name(), len(s), lim.maxString)
		}
		if !lim.allowCtrl {
			for _, r := range s {
				if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
					return fmt.Errorf("%s holds control characters", fd.Name())
				}
			}
		}
	}
	return nil
}
