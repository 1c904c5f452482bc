package pluginhost

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// configureAtStart hands a fresh process its settings: the newest saved
// revision that was not rejected, else the last accepted one. A plugin with
// no settings saved starts unconfigured (its health says so). Only a
// transport failure is an error; a rejection is logged and the previous
// good revision is used, so a bad save never takes a plugin down.
func (i *instance) configureAtStart(ctx context.Context, p *process) error {
	newest, err := latestRevision(ctx, i.h.db, i.id, revPending)
	if err != nil {
		return err
	}
	good, err := latestRevision(ctx, i.h.db, i.id, revAccepted)
	if err != nil {
		return err
	}
	if newest != nil && (good == nil || newest.Revision > good.Revision) {
		accepted, fieldErrs, err := i.sendConfigure(ctx, p, newest)
		if err != nil {
			return err
		}
		if accepted {
			return setRevisionStatus(ctx, i.h.db, i.id, newest.Revision, revAccepted)
		}
		if err := setRevisionStatus(ctx, i.h.db, i.id, newest.Revision, revRejected); err != nil {
			return err
		}
		i.logs.add(levelWarn, sourceHost, fmt.Sprintf("settings revision %d rejected (%v); keeping the last good one", newest.Revision, fieldErrs))
	}
	if good == nil {
		return nil
	}
	accepted, fieldErrs, err := i.sendConfigure(ctx, p, good)
	if err == nil && !accepted {
		i.logs.add(levelError, sourceHost, fmt.Sprintf("previously accepted settings revision %d rejected: %v", good.Revision, fieldErrs))
	}
	return err
}

// sendConfigure decrypts a revision and sends it, offering the HostAPI.
func (i *instance) sendConfigure(ctx context.Context, p *process, rev *revision) (bool, []sdk.FieldError, error) {
	values, err := i.h.values(i.id, rev)
	if err != nil {
		return false, nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, i.h.timeout(timeoutLifecycle))
	defer cancel()
	resp, err := p.lc.Configure(cctx, &pluginv1.ConfigureRequest{
		Revision:           rev.Revision,
		Settings:           values,
		HostApiBrokerId:    p.lc.ServeHostAPI(&hostAPI{i: i, granted: p.granted}),
		GrantedPermissions: p.granted,
	})
	if err != nil {
		return false, nil, fmt.Errorf("configure revision %d: %w", rev.Revision, err)
	}
	if !resp.GetAccepted() {
		return false, sdk.FromProtoErrors(resp.GetErrors()), nil
	}
	p.activeRev = rev.Revision
	return true, nil, nil
}

// values returns a revision's settings with secrets decrypted.
func (h *Host) values(id string, rev *revision) (map[string]string, error) {
	out := map[string]string{}
	if rev == nil {
		return out, nil
	}
	if err := json.Unmarshal([]byte(rev.Plain), &out); err != nil {
		return nil, fmt.Errorf("pluginhost: settings %s/%d: %w", id, rev.Revision, err)
	}
	sealed := map[string]string{}
	if err := json.Unmarshal([]byte(rev.Secrets), &sealed); err != nil {
		return nil, fmt.Errorf("pluginhost: secrets %s/%d: %w", id, rev.Revision, err)
	}
	for k, v := range sealed {
		plain, err := h.seal.open(id, k, v)
		if err != nil {
			return nil, err
		}
		out[k] = plain
	}
	return out, nil
}
