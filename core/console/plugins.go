package console

import (
	"context"

	"github.com/guichet/guichet/core/audit"
	"github.com/guichet/guichet/core/mail"
	"github.com/guichet/guichet/core/pluginhost"
)

// PluginAdmin is what the admin's plugin pages need from the plugin host:
// the plugins with their state, enabling, and the settings form. The host
// keeps secrets to itself; the form only says whether one is set.
type PluginAdmin interface {
	List(ctx context.Context) ([]pluginhost.Plugin, error)
	Get(ctx context.Context, id string) (pluginhost.Plugin, error)
	Enable(ctx context.Context, by audit.Actor, id string) error
	Disable(ctx context.Context, by audit.Actor, id string) error
	SettingsForm(ctx context.Context, id string) (*pluginhost.Form, error)
	TestSettings(ctx context.Context, by audit.Actor, id string, in pluginhost.SettingsInput) (*pluginhost.TestResult, error)
	SaveSettings(ctx context.Context, by audit.Actor, id string, in pluginhost.SettingsInput) (*pluginhost.SaveResult, error)
}

// CustomerDirectory is the ticket view's source of ERP data about a
// customer. Provides lets the page leave the panel out, without a call,
// when no enabled plugin serves the capability.
type CustomerDirectory interface {
	Provides(capability string) bool
	LookupCustomer(ctx context.Context, email string) (*pluginhost.CustomerInfo, error)
}

// Anonymizer turns a ticket's conversation into what may leave for an
// external AI. It fails closed: an error means nothing may be sent.
type Anonymizer interface {
	Provides(capability string) bool
	Anonymize(ctx context.Context, text string, people []pluginhost.Person) (*pluginhost.Anonymized, error)
}

// MailBox is the dev mail sink as its viewer reads it.
type MailBox interface {
	List(ctx context.Context, to string, limit int) ([]mail.Stored, error)
	Get(ctx context.Context, id int64) (*mail.Stored, error)
}
