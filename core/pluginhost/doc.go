// Package pluginhost is the core's side of the plugin contract: it discovers
// plugins in the plugin folder, starts the ones an admin enabled (with the
// binary's SHA-256 recorded at enable time), supervises them (deadlines,
// a circuit breaker per plugin and capability, restarts with backoff,
// quarantine), offers them the HostAPI, keeps their settings (secrets
// encrypted at rest), and exposes each capability to the rest of the core
// through a gateway with a fallback: cached data for customer lookup,
// fail closed for anonymization.
//
// It owns the tables plugins, plugin_settings, plugin_storage and
// customer_cache; their SQL lives in store.go. It speaks Go, not HTTP: it
// must not import net/http or gin, nor any HTTP edge (core/console, core/api,
// core/portal, core/server). Errors carry a kind from core/errs.
package pluginhost
