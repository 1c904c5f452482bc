// Package sdk is what a Guichet plugin imports, and what the core's plugin
// host imports to talk to plugins.
//
// It owns the plugin contract on the Go side: the manifest (plugin.yaml) and
// its validation, the settings schema and the validation of a settings map
// against it, the capability interfaces, Serve (a plugin's main), and the
// client side the host uses (handshake, plugin map, gRPC client wrappers).
//
// It must not import anything from core/: plugins depend on it, and it must
// stay small enough to be vendored by third-party plugin authors. The wire
// protocol itself lives in sdk/proto (generated code).
package sdk
