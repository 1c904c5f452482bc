package pluginhost

import (
	"time"

	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/guichet/guichet/sdk"
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// Limits of the HostAPI storage: a plugin keeps small state (tokens,
// cursors), not files.
const (
	maxStorageKey   = 200
	maxStorageValue = 64 << 10
	maxLogFields    = 20
)

// hostAPI is what one plugin process may call back. Storage needs the
// storage permission the admin granted when enabling the plugin.
type hostAPI struct {
	i       *instance
	granted []string
}

var _ sdk.HostAPI = (*hostAPI)(nil)

func (a *hostAPI) Log(_ context.Context, r *pluginv1.LogRequest) (*pluginv1.LogResponse, error) {
	level := levelInfo
	switch r.GetLevel() {
	case pluginv1.LogLevel_LOG_LEVEL_DEBUG:
		level = levelDebug
	case pluginv1.LogLevel_LOG_LEVEL_WARN:
		level = levelWarn
	case pluginv1.LogLevel_LOG_LEVEL_ERROR:
		level = levelError
	}
	fields := map[string]string{}
	for k, v := range r.GetFields() {
		if len(fields) == maxLogFields {
			break
		}
		fields[clip(k)] = clip(v)
	}
	a.i.logs.addLine(LogLine{Level: level, Source: sourceHostAPI, Message: r.GetMessage(), Fields: fields, At: time.Now()})
	return &pluginv1.LogResponse{}, nil
}

func (a *hostAPI) allowed() error {
	for _, p := range a.granted {
		if p == sdk.PermStorage {
			return nil
		}
	}
	return status.Error(codes.PermissionDenied, "the storage permission was not granted")
}

func (a *hostAPI) StorageGet(ctx context.Context, r *pluginv1.StorageGetRequest) (*pluginv1.StorageGetResponse, error) {
	if err := a.allowed(); err != nil {
		return nil, err
	}
	v, ok, err := storageGet(ctx, a.i.h.db, a.i.id, r.GetKey())
	if err != nil {
		return nil, status.Error(codes.Unavailable, "storage is unavailable")
	}
	return &pluginv1.StorageGetResponse{Found: ok, Value: v}, nil
}

func (a *hostAPI) StorageSet(ctx context.Context, r *pluginv1.StorageSetRequest) (*pluginv1.StorageSetResponse, error) {
	if err := a.allowed(); err != nil {
		return nil, err
	}
	if k := r.GetKey(); k == "" || len(k) > maxStorageKey || len(r.GetValue()) > maxStorageValue {
		return nil, status.Errorf(codes.InvalidArgument, "keys are 1-%d bytes and values at most %d bytes", maxStorageKey, maxStorageValue)
	}
	if err := storageSet(ctx, a.i.h.db, a.i.id, r.GetKey(), r.GetValue()); err != nil {
		return nil, status.Error(codes.Unavailable, "storage is unavailable")
	}
	return &pluginv1.StorageSetResponse{}, nil
}
