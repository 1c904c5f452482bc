package sdk

import (
	pluginv1 "github.com/guichet/guichet/sdk/proto/guichet/plugin/v1"
)

// The capability interfaces are the generated gRPC server interfaces (the
// generator runs with require_unimplemented_servers=false, so they are plain
// Go interfaces). A plugin implements the ones its manifest lists; the host
// gets the same interfaces back from the client side of this package, so
// code and tests can treat a local implementation and a remote plugin alike.
type (
	// Anonymizer is the "anonymizer" capability. Since protocol 1.
	Anonymizer = pluginv1.AnonymizerServer
	// CustomerDirectory is the "customer_directory" capability. Since
	// protocol 1.
	CustomerDirectory = pluginv1.CustomerDirectoryServer
	// KnowledgeSearch is the "knowledge_search" capability. Since protocol 1.
	KnowledgeSearch = pluginv1.KnowledgeSearchServer
	// Assignment is the "assignment" capability. Since protocol 1.
	Assignment = pluginv1.AssignmentServer
	// Pages is the "pages" capability. Since protocol 1.
	Pages = pluginv1.PagesServer
	// EventSink is the "event_sink" capability. Since protocol 1.
	EventSink = pluginv1.EventSinkServer
	// Lifecycle is the mandatory service. Plugins do not implement it: Serve
	// builds it from the manifest and the optional Configurer,
	// SettingsChecker and HealthChecker interfaces below.
	Lifecycle = pluginv1.LifecycleServer
	// HostAPI is the service the host offers back to plugins.
	HostAPI = pluginv1.HostAPIServer
)

// capabilityOf maps each capability name to a check that an implementation
// serves it.
var capabilityOf = map[string]func(any) bool{
	CapAnonymizer:        func(v any) bool { _, ok := v.(Anonymizer); return ok },
	CapCustomerDirectory: func(v any) bool { _, ok := v.(CustomerDirectory); return ok },
	CapKnowledgeSearch:   func(v any) bool { _, ok := v.(KnowledgeSearch); return ok },
	CapAssignment:        func(v any) bool { _, ok := v.(Assignment); return ok },
	CapPages:             func(v any) bool { _, ok := v.(Pages); return ok },
	CapEventSink:         func(v any) bool { _, ok := v.(EventSink); return ok },
}
