package pluginhost

import "errors"

// ErrNoProvider is the cause of the Unavailable error a gateway method
// returns when no enabled plugin serves the capability: the console can
// hide the panel instead of showing a failure.
var ErrNoProvider = errors.New("pluginhost: no plugin provides this capability")
