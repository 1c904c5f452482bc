package pluginhost

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// Plugin is one plugin as the admin page and `guichet plugin list` show it.
type Plugin struct {
	ID           string
	Name         string
	Version      string
	Description  sdk.Text
	Capabilities []string
	Permissions  []string
	Egress       []sdk.Egress
	// Enabled is the admin's decision; State is what happens in this
	// process; Reason explains a state other than running.
	Enabled bool
	State   State
	Reason  string
	// LastError is the last crash, Restarts how many there were since the
	// plugin was last enabled in this process.
	LastError string
	Restarts  int
	Health    Health
	// ActiveRevision is the settings revision the running process accepted.
	ActiveRevision int64
	// Logs are the recent lines from HostAPI.Log, stderr and the host.
	Logs []LogLine
}

// List returns every plugin of the plugin folder, sorted by id.
func (h *Host) List(ctx context.Context) ([]Plugin, error) {
	found, err := Discover(h.opt.Dir, h.opt.CoreVersion)
	if err != nil {
		return nil, err
	}
	recs, err := listRecords(ctx, h.db)
	if err != nil {
		return nil, err
	}
	out := make([]Plugin, 0, len(found))
	for _, f := range found {
		out = append(out, h.view(f, recs[f.ID]))
	}
	return out, nil
}

// Get returns one plugin; NotFound when its folder does not exist.
func (h *Host) Get(ctx context.Context, id string) (Plugin, error) {
	f, err := h.find(id)
	if err != nil {
		return Plugin{}, err
	}
	rec, err := getRecord(ctx, h.db, id)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return Plugin{}, err
	}
	return h.view(f, rec), nil
}

func (h *Host) view(f Found, rec *record) Plugin {
	p := Plugin{ID: f.ID, Enabled: rec != nil && rec.Enabled}
	if m := f.Manifest; m != nil {
		p.Name, p.Version, p.Description = m.Name, m.Version, m.Description
		p.Capabilities, p.Permissions, p.Egress = m.Capabilities, m.Permissions, m.Egress
	}
	p.State, p.Reason = StateDisabled, ""
	switch {
	case f.Problem != "":
		p.State, p.Reason = StateBroken, f.Problem
	case rec != nil && rec.QuarantinedAt != nil:
		p.State, p.Reason = StateQuarantined, rec.QuarantineReason
	case p.Enabled:
		p.State, p.Reason = StateStopped, "no plugin host runs in this process"
	}
	if i := h.lookupInstance(f.ID); i != nil && h.started() != nil {
		i.mu.Lock()
		if i.cancel != nil || i.state == StateQuarantined || i.state == StateRefused {
			p.State, p.Reason = i.state, i.reason
		}
		p.LastError, p.Restarts, p.Health = i.lastErr, i.restarts, i.health
		if i.proc != nil {
			p.ActiveRevision = i.proc.activeRev
		}
		i.mu.Unlock()
		p.Logs = i.logs.Lines()
	}
	return p
}

func (h *Host) find(id string) (Found, error) {
	found, err := Discover(h.opt.Dir, h.opt.CoreVersion)
	if err != nil {
		return Found{}, err
	}
	for _, f := range found {
		if f.ID == id {
			return f, nil
		}
	}
	return Found{}, errs.E(errs.NotFound, "no plugin %q in %s", id, h.opt.Dir)
}

// Enable trusts the plugin's current binary (its SHA-256 is recorded),
// grants the permissions its manifest asks for, lifts a quarantine and,
// when the host runs, starts it.
func (h *Host) Enable(ctx context.Context, by audit.Actor, id string) error {
	f, err := h.find(id)
	if err != nil {
		return err
	}
	if f.Problem != "" {
		return errs.E(errs.Invalid, "plugin %s cannot be enabled: %s", id, f.Problem)
	}
	sum, err := fileSHA256(f.Binary)
	if err != nil {
		return errs.Wrap(errs.Invalid, err, "cannot read the plugin binary")
	}
	err = db.InTx(ctx, h.db, func(tx bun.Tx) error {
		if err := saveEnabled(ctx, tx, id, sum, f.Manifest.Version, f.Manifest.Permissions); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "plugin.enable", 0, map[string]string{"plugin": id, "version": f.Manifest.Version, "sha256": sum})
	})
	if err != nil {
		return err
	}
	i := h.instance(id)
	i.setFound(f)
	i.restart(ctx)
	return nil
}

// Disable stops the plugin now and keeps it stopped.
func (h *Host) Disable(ctx context.Context, by audit.Actor, id string) error {
	err := db.InTx(ctx, h.db, func(tx bun.Tx) error {
		if err := saveDisabled(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, by, "plugin.disable", 0, map[string]string{"plugin": id})
	})
	if err != nil {
		return err
	}
	if i := h.lookupInstance(id); i != nil {
		i.stop(StateDisabled, "")
	}
	return nil
}

// FormField is one field of the generated settings form.
type FormField struct {
	sdk.SettingField
	// Value is the saved value of a non-secret field ("" when unset).
	Value string
	// SecretSet tells, for a secret field, whether a value is stored. The
	// value itself never leaves the host.
	SecretSet bool
}

// Form is a plugin's settings form: its schema with the saved values.
type Form struct {
	PluginID string
	// Revision is the newest saved settings revision, 0 when none.
	Revision int64
	Fields   []FormField
}

// SettingsForm returns the form model for the plugin's settings page.
func (h *Host) SettingsForm(ctx context.Context, id string) (*Form, error) {
	m, err := h.manifest(id)
	if err != nil {
		return nil, err
	}
	rev, err := latestSaved(ctx, h.db, id)
	if err != nil {
		return nil, err
	}
	plain, sealed, err := decodeRevision(rev)
	if err != nil {
		return nil, err
	}
	form := &Form{PluginID: id}
	if rev != nil {
		form.Revision = rev.Revision
	}
	for _, f := range m.Settings {
		ff := FormField{SettingField: f}
		if f.Type == sdk.TypeSecret {
			_, ff.SecretSet = sealed[f.Name]
		} else {
			ff.Value = plain[f.Name]
		}
		form.Fields = append(form.Fields, ff)
	}
	return form, nil
}

// SettingsInput is what the admin submitted. An empty secret keeps the
// stored one (the form never shows it); ClearSecrets removes secrets.
type SettingsInput struct {
	Values       map[string]string
	ClearSecrets []string
}

// TestResult is the outcome of TestSettings.
type TestResult struct {
	// Errors are per field; empty means the settings are valid.
	Errors []sdk.FieldError
	// CheckedByPlugin is false when the plugin is not running, so only the
	// manifest's schema could be checked.
	CheckedByPlugin bool
}

// TestSettings checks settings against the schema and, when the plugin
// runs, with its ValidateSettings (which may test a connection), without
// saving anything.
func (h *Host) TestSettings(ctx context.Context, by audit.Actor, id string, in SettingsInput) (*TestResult, error) {
	m, err := h.manifest(id)
	if err != nil {
		return nil, err
	}
	values, _, err := h.merge(ctx, m, id, in)
	if err != nil {
		return nil, err
	}
	res := &TestResult{}
	if _, res.Errors = m.CheckSettings(values); len(res.Errors) == 0 {
		res.Errors, res.CheckedByPlugin, err = h.validateRemote(ctx, id, values)
		if err != nil {
			return nil, err
		}
	}
	_ = audit.Record(ctx, h.db, by, "plugin.settings.test", 0, map[string]string{"plugin": id, "errors": strconv.Itoa(len(res.Errors))})
	return res, nil
}

// validateRemote calls the running plugin's ValidateSettings.
func (h *Host) validateRemote(ctx context.Context, id string, values map[string]string) ([]sdk.FieldError, bool, error) {
	i := h.lookupInstance(id)
	if i == nil {
		return nil, false, nil
	}
	p, _, _ := i.live()
	if p == nil {
		return nil, false, nil
	}
	vctx, cancel := context.WithTimeout(ctx, h.timeout(timeoutLifecycle))
	defer cancel()
	r, err := p.lc.ValidateSettings(vctx, &pluginv1.ValidateSettingsRequest{Settings: values})
	if err != nil {
		return nil, false, callError(id, "validate settings", h.timeout(timeoutLifecycle), err)
	}
	return sdk.FromProtoErrors(r.GetErrors()), true, nil
}

// SaveResult is the outcome of a successful SaveSettings.
type SaveResult struct {
	Revision int64
	// Applied is true when the running plugin accepted the revision; false
	// when it is not running (it gets the revision when it starts).
	Applied bool
}

// SaveSettings validates and saves a new settings revision. Invalid
// settings — by the schema, by the plugin's ValidateSettings, or refused by
// its Configure — are an Invalid error naming each field, nothing is saved,
// and the plugin keeps its last good revision.
func (h *Host) SaveSettings(ctx context.Context, by audit.Actor, id string, in SettingsInput) (*SaveResult, error) {
	m, err := h.manifest(id)
	if err != nil {
		return nil, err
	}
	values, changed, err := h.merge(ctx, m, id, in)
	if err != nil {
		return nil, err
	}
	if _, fe := m.CheckSettings(values); len(fe) > 0 {
		return nil, fieldErrors(fe)
	}
	if fe, _, err := h.validateRemote(ctx, id, values); err != nil || len(fe) > 0 {
		if err != nil {
			return nil, err
		}
		return nil, fieldErrors(fe)
	}
	if err := ensureRecord(ctx, h.db, id); err != nil {
		return nil, err
	}
	rev, err := h.newRevision(ctx, m, id, values)
	if err != nil {
		return nil, err
	}
	res := &SaveResult{Revision: rev.Revision}
	if i := h.lookupInstance(id); i != nil {
		if p, _, _ := i.live(); p != nil {
			ok, fe, err := i.sendConfigure(ctx, p, rev)
			if err != nil {
				return nil, callError(id, "configure", h.timeout(timeoutLifecycle), err)
			}
			if !ok {
				return nil, fieldErrors(fe)
			}
			rev.Status, res.Applied = revAccepted, true
		}
	}
	if err := insertRevision(ctx, h.db, rev); err != nil {
		return nil, err
	}
	_ = audit.Record(ctx, h.db, by, "plugin.settings.save", 0, map[string]string{
		"plugin": id, "revision": strconv.FormatInt(rev.Revision, 10), "changed": changed})
	return res, nil
}

func (h *Host) manifest(id string) (*sdk.Manifest, error) {
	f, err := h.find(id)
	if err != nil {
		return nil, err
	}
	if f.Manifest == nil {
		return nil, errs.E(errs.Invalid, "plugin %s has no valid manifest: %s", id, f.Problem)
	}
	return f.Manifest, nil
}

// merge builds the full settings map from the form: submitted non-secret
// values, submitted secrets, stored secrets the admin left empty. changed
// names the fields that differ from the saved revision (names only: the
// audit log never holds a value).
func (h *Host) merge(ctx context.Context, m *sdk.Manifest, id string, in SettingsInput) (map[string]string, string, error) {
	rev, err := latestSaved(ctx, h.db, id)
	if err != nil {
		return nil, "", err
	}
	old, err := h.values(id, rev)
	if err != nil {
		return nil, "", err
	}
	clear := map[string]bool{}
	for _, c := range in.ClearSecrets {
		clear[c] = true
	}
	values := map[string]string{}
	for k, v := range in.Values {
		if f := m.Field(k); f != nil && f.Type == sdk.TypeSecret && v == "" {
			continue
		}
		values[k] = v
	}
	for _, f := range m.Settings {
		if _, ok := values[f.Name]; f.Type == sdk.TypeSecret && !ok && !clear[f.Name] && old[f.Name] != "" {
			values[f.Name] = old[f.Name]
		}
	}
	var changed []string
	for _, f := range m.Settings {
		if values[f.Name] != old[f.Name] {
			changed = append(changed, f.Name)
		}
	}
	sort.Strings(changed)
	b, _ := json.Marshal(changed)
	return values, string(b), nil
}

func (h *Host) newRevision(ctx context.Context, m *sdk.Manifest, id string, values map[string]string) (*revision, error) {
	n, err := nextRevision(ctx, h.db, id)
	if err != nil {
		return nil, err
	}
	plain, sealed := map[string]string{}, map[string]string{}
	for k, v := range values {
		if f := m.Field(k); f != nil && f.Type == sdk.TypeSecret {
			sealed[k] = h.seal.seal(id, k, v)
		} else {
			plain[k] = v
		}
	}
	p, _ := json.Marshal(plain)
	s, _ := json.Marshal(sealed)
	return &revision{PluginID: id, Revision: n, Plain: string(p), Secrets: string(s), Status: revPending}, nil
}

// latestSaved is the revision the form shows: the newest one not rejected.
func latestSaved(ctx context.Context, idb bun.IDB, id string) (*revision, error) {
	newest, err := latestRevision(ctx, idb, id, revPending)
	if err != nil {
		return nil, err
	}
	good, err := latestRevision(ctx, idb, id, revAccepted)
	if err != nil || newest == nil || (good != nil && good.Revision > newest.Revision) {
		return good, err
	}
	return newest, nil
}

func decodeRevision(rev *revision) (map[string]string, map[string]string, error) {
	plain, sealed := map[string]string{}, map[string]string{}
	if rev == nil {
		return plain, sealed, nil
	}
	if err := json.Unmarshal([]byte(rev.Plain), &plain); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal([]byte(rev.Secrets), &sealed); err != nil {
		return nil, nil, err
	}
	return plain, sealed, nil
}

func fieldErrors(fe []sdk.FieldError) error {
	fields := map[string]string{}
	for _, e := range fe {
		name := e.Field
		if name == "" {
			name = "_"
		}
		fields[name] = e.Message
	}
	return &errs.Error{Kind: errs.Invalid, Message: "the settings are not valid", Fields: fields}
}
