package pluginhost

import (
	"context"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/sdk"
)

// State is where a plugin stands in this process.
type State string

// The states a plugin shows to admins.
const (
	// StateDisabled: no admin enabled it (or one disabled it).
	StateDisabled State = "disabled"
	// StateStarting: the process is being started and configured.
	StateStarting State = "starting"
	// StateRunning: the plugin answers calls.
	StateRunning State = "running"
	// StateRestarting: it crashed and waits for its backoff to end.
	StateRestarting State = "restarting"
	// StateQuarantined: it crashed too often; an admin must enable it again.
	StateQuarantined State = "quarantined"
	// StateRefused: it will not be started (changed binary, manifest that
	// does not match the binary); Reason says why.
	StateRefused State = "refused"
	// StateBroken: the folder holds no usable plugin (invalid manifest,
	// missing binary, incompatible versions).
	StateBroken State = "broken"
	// StateStopped: enabled, but no host runs in this process (the CLI).
	StateStopped State = "stopped"
)

// Capability names for Options.Timeouts besides the sdk.Cap… names.
const timeoutLifecycle = "lifecycle"

// Options configures a Host. Zero values take the defaults in parentheses.
type Options struct {
	// Dir is the plugin folder: one <id>/ sub-folder per plugin.
	Dir string
	// CoreVersion is checked against each manifest's requires.core.
	CoreVersion string
	// SecretKey encrypts setting secrets (see LoadSecretKey); 32 bytes.
	SecretKey []byte
	// Log receives the host's own events.
	Log *slog.Logger
	// StartTimeout bounds the process start and handshake (10 s).
	StartTimeout time.Duration
	// Timeouts is the deadline of one call per capability name, plus
	// "lifecycle" for Describe, Configure, ValidateSettings and CheckHealth
	// (customer_directory 3 s, anonymizer 5 s, others 5 s).
	Timeouts map[string]time.Duration
	// MaxReplyBytes caps one reply (sdk.DefaultMaxReplyBytes).
	MaxReplyBytes int
	// BackoffMin and BackoffMax bound the wait before a restart, doubled
	// after each crash (100 ms, 30 s).
	BackoffMin, BackoffMax time.Duration
	// QuarantineAfter crashes within CrashWindow quarantine a plugin
	// (5 within 10 min).
	QuarantineAfter int
	CrashWindow     time.Duration
	// BreakerFailures consecutive failed calls open a capability's circuit
	// for BreakerOpenFor (3, 30 s).
	BreakerFailures uint32
	BreakerOpenFor  time.Duration
	// CacheTTL is how long a customer lookup is served from the cache
	// without asking the plugin (15 min).
	CacheTTL time.Duration
	// PollInterval is how often the host re-reads what admins enabled, so
	// a change made by the CLI or another node is applied (5 s).
	PollInterval time.Duration
	// HealthInterval is how often a running plugin's health is checked (30 s).
	HealthInterval time.Duration
}

func (o *Options) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.StartTimeout, 10*time.Second)
	def(&o.BackoffMin, 100*time.Millisecond)
	def(&o.BackoffMax, 30*time.Second)
	def(&o.CrashWindow, 10*time.Minute)
	def(&o.BreakerOpenFor, 30*time.Second)
	def(&o.CacheTTL, 15*time.Minute)
	def(&o.PollInterval, 5*time.Second)
	def(&o.HealthInterval, 30*time.Second)
	if o.QuarantineAfter <= 0 {
		o.QuarantineAfter = 5
	}
	if o.BreakerFailures == 0 {
		o.BreakerFailures = 3
	}
	if o.MaxReplyBytes <= 0 {
		o.MaxReplyBytes = sdk.DefaultMaxReplyBytes
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	t := map[string]time.Duration{sdk.CapCustomerDirectory: 3 * time.Second}
	for k, v := range o.Timeouts {
		t[k] = v
	}
	o.Timeouts = t
}

// Host discovers, starts, supervises and calls plugins. Build it with New;
// Start launches the enabled plugins in the background; Stop kills them.
// Without Start (the CLI), the admin methods still read and change what is
// enabled and configured.
type Host struct {
	db   *bun.DB
	opt  Options
	seal *sealer
	log  *slog.Logger

	mu        sync.Mutex
	instances map[string]*instance
	ctx       context.Context // set by Start; nil when not started
	cancel    context.CancelFunc
	loop      sync.WaitGroup
}

// New builds a host on an open, migrated database.
func New(bdb *bun.DB, opt Options) (*Host, error) {
	opt.defaults()
	s, err := newSealer(opt.SecretKey)
	if err != nil {
		return nil, err
	}
	return &Host{db: bdb, opt: opt, seal: s, log: opt.Log.With("component", "pluginhost"),
		instances: map[string]*instance{}}, nil
}

func (h *Host) timeout(capName string) time.Duration {
	if d, ok := h.opt.Timeouts[capName]; ok {
		return d
	}
	return 5 * time.Second
}

// Start launches every enabled plugin and then keeps the running set in
// line with the database, all in the background: it returns at once, so
// HTTP serving never waits for plugins.
func (h *Host) Start(ctx context.Context) {
	h.mu.Lock()
	if h.ctx != nil {
		h.mu.Unlock()
		return
	}
	h.ctx, h.cancel = context.WithCancel(context.WithoutCancel(ctx))
	loopCtx := h.ctx
	h.mu.Unlock()
	h.loop.Add(1)
	go func() {
		defer h.loop.Done()
		t := time.NewTicker(h.opt.PollInterval)
		defer t.Stop()
		for {
			if err := h.reconcile(loopCtx); err != nil && loopCtx.Err() == nil {
				h.log.Warn("plugin reconcile failed", "error", err)
			}
			select {
			case <-loopCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Stop kills every plugin process and waits for their supervisors. Plugins
// also exit on their own when the core dies (see the SDK), but a clean
// shutdown should not leave that to a poll.
func (h *Host) Stop() {
	h.mu.Lock()
	cancel := h.cancel
	list := h.sortedInstances()
	h.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	h.loop.Wait()
	var wg sync.WaitGroup
	for _, i := range list {
		wg.Add(1)
		go func() { defer wg.Done(); i.stop(StateStopped, "the core stopped") }()
	}
	wg.Wait()
}

// started returns the host's context, nil when Start was not called or
// Stop was.
func (h *Host) started() context.Context {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ctx == nil || h.ctx.Err() != nil {
		return nil
	}
	return h.ctx
}

// reconcile discovers the plugin folder and starts or stops supervisors so
// that exactly the enabled, unquarantined plugins run.
func (h *Host) reconcile(ctx context.Context) error {
	found, err := Discover(h.opt.Dir, h.opt.CoreVersion)
	if err != nil {
		return err
	}
	recs, err := listRecords(ctx, h.db)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, f := range found {
		seen[f.ID] = true
		i := h.instance(f.ID)
		i.setFound(f)
		rec := recs[f.ID]
		want := rec != nil && rec.Enabled && rec.QuarantinedAt == nil
		switch {
		case want && (!i.supervising() || i.trustedSHA() != rec.SHA256):
			i.restart(ctx)
		case !want && i.supervising():
			i.stop(stateFor(rec), reasonFor(rec))
		}
	}
	h.mu.Lock()
	gone := []*instance{}
	for id, i := range h.instances {
		if !seen[id] {
			gone = append(gone, i)
		}
	}
	h.mu.Unlock()
	for _, i := range gone {
		i.stop(StateBroken, "its folder was removed from the plugin directory")
	}
	return nil
}

func stateFor(rec *record) State {
	if rec != nil && rec.QuarantinedAt != nil {
		return StateQuarantined
	}
	return StateDisabled
}

func reasonFor(rec *record) string {
	if rec != nil && rec.QuarantinedAt != nil {
		return rec.QuarantineReason
	}
	return ""
}

// instance returns the instance of id, creating it.
func (h *Host) instance(id string) *instance {
	h.mu.Lock()
	defer h.mu.Unlock()
	i, ok := h.instances[id]
	if !ok {
		i = newInstance(h, id)
		h.instances[id] = i
	}
	return i
}

func (h *Host) lookupInstance(id string) *instance {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.instances[id]
}

// sortedInstances must be called with h.mu held.
func (h *Host) sortedInstances() []*instance {
	out := make([]*instance, 0, len(h.instances))
	for _, i := range h.instances {
		out = append(out, i)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].id < out[b].id })
	return out
}

// provider returns the first plugin, by id, that is enabled in this
// process and serves capability c.
func (h *Host) provider(c string) (*instance, error) {
	h.mu.Lock()
	list := h.sortedInstances()
	h.mu.Unlock()
	for _, i := range list {
		if i.supervising() && i.serves(c) {
			return i, nil
		}
	}
	return nil, errs.Wrap(errs.Unavailable, ErrNoProvider, "no enabled plugin provides "+c)
}
