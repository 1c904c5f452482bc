package pluginhost

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/sony/gobreaker/v2"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// exitPoll is how often a running plugin's process is checked: go-plugin
// only exposes Exited(), and 20 ms makes a crash "noticed at once" for a
// human while costing nothing.
const exitPoll = 20 * time.Millisecond

// instance is one plugin in this process: its supervisor, its live process
// (if any), what admins see about it, and its recent log lines.
type instance struct {
	h    *Host
	id   string
	logs *logRing

	mu        sync.Mutex
	found     Found
	state     State
	reason    string
	lastErr   string
	restarts  int
	crashes   []time.Time
	health    Health
	proc      *process
	trusted   string // sha256 the running supervisor was started for
	cancel    context.CancelFunc
	done      chan struct{}
	exitState State
	exitWhy   string
}

// process is one running plugin process and its clients.
type process struct {
	client    *plugin.Client
	lc        *sdk.LifecycleClient
	caps      map[string]any
	breakers  map[string]*gobreaker.CircuitBreaker[any]
	granted   []string
	activeRev int64
	started   time.Time
}

// Health is the last health check of a running plugin.
type Health struct {
	// Status is "ok", "degraded", "error" or "" when never checked.
	Status string
	// Message explains a status other than ok.
	Message string
	// CheckedAt is when the check ran.
	CheckedAt time.Time
}

// refusal is a reason not to start a plugin that retrying will not fix.
type refusal struct{ reason string }

func (r *refusal) Error() string { return r.reason }

func newInstance(h *Host, id string) *instance {
	return &instance{h: h, id: id, logs: newLogRing(200), state: StateDisabled}
}

func (i *instance) setFound(f Found) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.found = f
	if f.Problem != "" && i.cancel == nil {
		i.state, i.reason = StateBroken, f.Problem
	}
}

func (i *instance) serves(c string) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.found.Manifest != nil && i.found.Manifest.HasCapability(c)
}

func (i *instance) supervising() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.cancel != nil
}

func (i *instance) trustedSHA() string {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.trusted
}

func (i *instance) set(s State, reason string) {
	i.mu.Lock()
	i.state, i.reason = s, reason
	i.mu.Unlock()
}

// restart stops the supervisor if one runs and starts a new one, which
// re-reads the record (checksum, permissions) and the settings.
func (i *instance) restart(ctx context.Context) {
	hctx := i.h.started()
	if hctx == nil {
		return
	}
	i.stop(StateDisabled, "")
	rec, err := getRecord(ctx, i.h.db, i.id)
	if err != nil {
		i.set(StateRefused, err.Error())
		return
	}
	sctx, cancel := context.WithCancel(hctx)
	done := make(chan struct{})
	i.mu.Lock()
	i.cancel, i.done, i.trusted = cancel, done, rec.SHA256
	i.crashes, i.lastErr, i.exitState, i.exitWhy = nil, "", StateStopped, ""
	i.mu.Unlock()
	go i.supervise(sctx, done)
}

// stop ends the supervisor, killing the process, and leaves the instance
// in state s.
func (i *instance) stop(s State, reason string) {
	i.mu.Lock()
	cancel, done := i.cancel, i.done
	i.exitState, i.exitWhy = s, reason
	i.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
	i.mu.Lock()
	i.cancel, i.done = nil, nil
	i.state, i.reason = s, reason
	i.mu.Unlock()
}

// supervise starts the plugin and restarts it after each crash, with
// exponential backoff, until ctx ends, the plugin is refused, or it is
// quarantined.
func (i *instance) supervise(ctx context.Context, done chan struct{}) {
	defer close(done)
	for {
		i.set(StateStarting, "")
		p, err := i.launch(ctx)
		if err == nil {
			i.setRunning(p)
			err = i.watch(ctx, p)
			i.clearProcess()
		}
		if p != nil {
			p.client.Kill()
		}
		if ctx.Err() != nil {
			return
		}
		var r *refusal
		if errors.As(err, &r) {
			i.logs.add(levelError, sourceHost, "refused to start: "+r.reason)
			i.h.log.Warn("plugin refused", "plugin", i.id, "reason", r.reason)
			i.set(StateRefused, r.reason)
			<-ctx.Done()
			return
		}
		n, quarantined := i.crashed(ctx, err)
		if quarantined {
			return
		}
		backoff := i.h.backoff(n)
		i.set(StateRestarting, fmt.Sprintf("restarting in %s", backoff))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
	}
}

// backoff is the wait before a restart after n crashes within the crash
// window: BackoffMin doubled for each earlier crash, at most BackoffMax. A
// plugin whose crashes have aged out of the window starts over at the
// minimum.
func (h *Host) backoff(n int) time.Duration {
	d := h.opt.BackoffMin
	for ; n > 1 && d < h.opt.BackoffMax; n-- {
		d *= 2
	}
	return min(d, h.opt.BackoffMax)
}

// crashed records a crash; it returns the number of crashes within the
// crash window and whether they quarantined the plugin.
func (i *instance) crashed(ctx context.Context, cause error) (int, bool) {
	now := time.Now()
	msg := cause.Error()
	if last := i.logs.lastStderr(); last != "" {
		msg += " (last stderr line: " + last + ")"
	}
	i.mu.Lock()
	i.restarts++
	i.lastErr = msg
	kept := i.crashes[:0]
	for _, t := range i.crashes {
		if now.Sub(t) < i.h.opt.CrashWindow {
			kept = append(kept, t)
		}
	}
	i.crashes = append(kept, now)
	n := len(i.crashes)
	i.mu.Unlock()
	i.logs.add(levelError, sourceHost, "crashed: "+msg)
	i.h.log.Warn("plugin crashed", "plugin", i.id, "error", msg)
	if n < i.h.opt.QuarantineAfter {
		return n, false
	}
	reason := fmt.Sprintf("crashed %d times within %s; last error: %s", n, i.h.opt.CrashWindow, msg)
	dctx := context.WithoutCancel(ctx)
	if err := saveQuarantine(dctx, i.h.db, i.id, reason); err != nil {
		i.h.log.Error("cannot record quarantine", "plugin", i.id, "error", err)
	}
	_ = audit.Record(dctx, i.h.db, audit.System, "plugin.quarantine", 0, map[string]string{"plugin": i.id, "reason": reason})
	i.logs.add(levelError, sourceHost, "quarantined: "+reason)
	i.set(StateQuarantined, reason)
	i.mu.Lock()
	i.cancel, i.done = nil, nil // this supervisor is ending on its own
	i.mu.Unlock()
	return n, true
}

func (i *instance) setRunning(p *process) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.proc = p
	i.state, i.reason = StateRunning, ""
}

func (i *instance) clearProcess() {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.proc = nil
}

// live returns the running process, or an Unavailable error saying why
// there is none.
func (i *instance) live() (*process, State, string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.proc, i.state, i.reason
}

// launch checks the binary against the checksum the admin trusted, starts
// it, checks that it is the plugin its manifest says, and configures it.
func (i *instance) launch(ctx context.Context) (*process, error) {
	i.mu.Lock()
	f := i.found
	i.mu.Unlock()
	if f.Problem != "" {
		return nil, &refusal{f.Problem}
	}
	rec, err := getRecord(ctx, i.h.db, i.id)
	if err != nil {
		return nil, err
	}
	sum, err := fileSHA256(f.Binary)
	if err != nil {
		return nil, &refusal{"cannot read the binary: " + err.Error()}
	}
	if sum != rec.SHA256 {
		return nil, &refusal{fmt.Sprintf("the binary changed since it was enabled (sha256 %.12s… recorded, %.12s… found); enable it again to trust the new binary", rec.SHA256, sum)}
	}
	checksum, _ := hex.DecodeString(sum)
	cmd := exec.Command(f.Binary)
	cmd.Dir = f.Dir
	dieWithParent(cmd)
	cfg := sdk.ClientConfig(cmd, checksum, i.h.opt.MaxReplyBytes, i.hclog())
	cfg.StartTimeout = i.h.opt.StartTimeout
	cfg.Stderr = i.logs.stderrWriter()
	p := &process{client: plugin.NewClient(cfg), granted: rec.granted(), started: time.Now()}
	rpc, err := p.client.Client()
	if err != nil {
		return p, fmt.Errorf("start: %w", err)
	}
	raw, err := rpc.Dispense(sdk.NameLifecycle)
	if err != nil {
		return p, fmt.Errorf("dispense lifecycle: %w", err)
	}
	p.lc = raw.(*sdk.LifecycleClient)
	if err := i.checkDescribe(ctx, p, f.Manifest); err != nil {
		return p, err
	}
	p.caps, p.breakers = map[string]any{}, map[string]*gobreaker.CircuitBreaker[any]{}
	for _, c := range f.Manifest.Capabilities {
		svc, err := rpc.Dispense(c)
		if err != nil {
			return p, fmt.Errorf("dispense %s: %w", c, err)
		}
		p.caps[c], p.breakers[c] = svc, i.h.newBreaker(i.id, c)
	}
	if err := i.configureAtStart(ctx, p); err != nil {
		return p, err
	}
	i.logs.add(levelInfo, sourceHost, fmt.Sprintf("started (pid %s, settings revision %d)", p.client.ID(), p.activeRev))
	return p, nil
}

// checkDescribe refuses a binary whose embedded manifest is not the
// plugin.yaml beside it: admins approved what the folder's manifest says.
func (i *instance) checkDescribe(ctx context.Context, p *process, m *sdk.Manifest) error {
	dctx, cancel := context.WithTimeout(ctx, i.h.timeout(timeoutLifecycle))
	defer cancel()
	d, err := p.lc.Describe(dctx, &pluginv1.DescribeRequest{})
	if err != nil {
		return fmt.Errorf("describe: %w", err)
	}
	switch {
	case d.GetId() != m.ID, d.GetVersion() != m.Version, !sameSet(d.GetCapabilities(), m.Capabilities):
		return &refusal{fmt.Sprintf("the binary describes itself as %s %s %v, plugin.yaml says %s %s %v",
			d.GetId(), d.GetVersion(), d.GetCapabilities(), m.ID, m.Version, m.Capabilities)}
	case d.GetProtocolVersion() != sdk.ProtocolVersion:
		return &refusal{fmt.Sprintf("the binary speaks protocol %d, the core %d", d.GetProtocolVersion(), sdk.ProtocolVersion)}
	}
	return nil
}

// watch returns nil when ctx ends, or an error as soon as the process
// exits. It checks health every HealthInterval.
func (i *instance) watch(ctx context.Context, p *process) error {
	tick := time.NewTicker(exitPoll)
	defer tick.Stop()
	health := time.NewTicker(i.h.opt.HealthInterval)
	defer health.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if p.client.Exited() {
				return errors.New("the plugin process exited")
			}
		case <-health.C:
			i.checkHealth(ctx, p)
		}
	}
}

func (i *instance) checkHealth(ctx context.Context, p *process) {
	hctx, cancel := context.WithTimeout(ctx, i.h.timeout(timeoutLifecycle))
	defer cancel()
	h := Health{CheckedAt: time.Now()}
	r, err := p.lc.CheckHealth(hctx, &pluginv1.CheckHealthRequest{})
	switch {
	case err != nil:
		h.Status, h.Message = "error", "health check failed: "+err.Error()
	case r.GetStatus() == pluginv1.CheckHealthResponse_STATUS_OK:
		h.Status = "ok"
	case r.GetStatus() == pluginv1.CheckHealthResponse_STATUS_DEGRADED:
		h.Status, h.Message = "degraded", r.GetMessage()
	default:
		h.Status, h.Message = "error", r.GetMessage()
	}
	i.mu.Lock()
	i.health = h
	i.mu.Unlock()
}

// hclog routes go-plugin's own messages (process exits, handshake errors)
// to the host log at warning level; the plugin's stderr goes to the ring.
func (i *instance) hclog() hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: "plugin." + i.id, Level: hclog.Warn,
		Output: &slogWriter{log: i.h.log, plugin: i.id}})
}

type slogWriter struct {
	log    interface{ Warn(string, ...any) }
	plugin string
}

func (w *slogWriter) Write(b []byte) (int, error) {
	w.log.Warn("go-plugin", "plugin", w.plugin, "line", string(trimNewline(b)))
	return len(b), nil
}

var _ io.Writer = (*slogWriter)(nil)

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}
