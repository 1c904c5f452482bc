// Package ticket owns tickets and their articles: opening (with idempotency
// keys), public numbers, state, priority, type, queue and owner changes,
// replies and internal notes, and the permission scope every read and write
// goes through. Changes are audited and announce themselves as outbox events
// in the same transaction. It must not import net/http or gin.
package ticket

import (
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/attachment"
)

// Type classifies a ticket as in ITIL.
type Type string

// The ticket types.
const (
	Incident       Type = "incident"
	Problem        Type = "problem"
	ServiceRequest Type = "service_request"
)

// Types lists every type.
var Types = []Type{Incident, Problem, ServiceRequest}

// State is where a ticket stands.
type State string

// The states.
const (
	New             State = "new"
	Open            State = "open"
	PendingCustomer State = "pending_customer"
	Resolved        State = "resolved"
	Closed          State = "closed"
)

// States lists every state in workflow order.
var States = []State{New, Open, PendingCustomer, Resolved, Closed}

// Channel says where a ticket or article came from.
type Channel string

// The channels.
const (
	ChannelAPI     Channel = "api"
	ChannelPortal  Channel = "portal"
	ChannelEmail   Channel = "email"
	ChannelConsole Channel = "console"
	ChannelPhone   Channel = "phone"
)

// Priorities run from 1 (lowest) to 5 (highest); customers never set them.
const (
	MinPriority     = 1
	DefaultPriority = 3
	MaxPriority     = 5
)

// Ticket is a request for help.
type Ticket struct {
	ID              int64      `bun:"id,pk,autoincrement" json:"-"`
	Number          string     `bun:"number" json:"number"`
	BrandID         int64      `bun:"brand_id" json:"-"`
	QueueID         int64      `bun:"queue_id" json:"queue_id"`
	Subject         string     `bun:"subject" json:"subject"`
	Type            Type       `bun:"type" json:"type"`
	State           State      `bun:"state" json:"state"`
	Priority        int        `bun:"priority" json:"priority"`
	Channel         Channel    `bun:"channel" json:"channel"`
	OwnerID         int64      `bun:"owner_id,nullzero" json:"owner_id,omitempty"`
	CustomerID      int64      `bun:"customer_id" json:"customer_id"`
	OrganizationID  int64      `bun:"organization_id,nullzero" json:"organization_id,omitempty"`
	LinkSecret      []byte     `bun:"link_secret" json:"-"`
	LinkVersion     int        `bun:"link_version" json:"-"`
	LockedBy        int64      `bun:"locked_by,nullzero" json:"locked_by,omitempty"`
	LockedAt        *time.Time `bun:"locked_at" json:"locked_at,omitempty"`
	CreatedAt       time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt       time.Time  `bun:"updated_at" json:"updated_at"`
	FirstResponseAt *time.Time `bun:"first_response_at" json:"first_response_at,omitempty"`
	ResolvedAt      *time.Time `bun:"resolved_at" json:"resolved_at,omitempty"`
	ClosedAt        *time.Time `bun:"closed_at" json:"closed_at,omitempty"`
	bun.BaseModel   `bun:"table:tickets,alias:t"`
}

// Summary is a ticket as lists show it, with the names lists need.
type Summary struct {
	Ticket           `bun:",extend"`
	CustomerEmail    string `bun:"customer_email" json:"customer_email"`
	CustomerName     string `bun:"customer_name" json:"customer_name,omitempty"`
	OrganizationName string `bun:"organization_name" json:"organization_name,omitempty"`
	QueueName        string `bun:"queue_name" json:"queue_name"`
	OwnerName        string `bun:"owner_name" json:"owner_name,omitempty"`
	LockedByName     string `bun:"locked_by_name" json:"locked_by_name,omitempty"`
}

// ArticleKind separates what the customer sees from what stays inside.
type ArticleKind string

// The article kinds.
const (
	Public   ArticleKind = "public"
	Internal ArticleKind = "internal"
)

// AuthorType says who wrote an article.
type AuthorType string

// The author types.
const (
	AuthorCustomer AuthorType = "customer"
	AuthorAgent    AuthorType = "agent"
	AuthorSystem   AuthorType = "system"
)

// Article is one message in a ticket's conversation.
type Article struct {
	ID               int64                   `bun:"id,pk,autoincrement" json:"id"`
	TicketID         int64                   `bun:"ticket_id" json:"-"`
	Kind             ArticleKind             `bun:"kind" json:"kind"`
	AuthorType       AuthorType              `bun:"author_type" json:"author_type"`
	AuthorAgentID    int64                   `bun:"author_agent_id,nullzero" json:"author_agent_id,omitempty"`
	AuthorCustomerID int64                   `bun:"author_customer_id,nullzero" json:"author_customer_id,omitempty"`
	AuthorName       string                  `bun:"author_name,scanonly" json:"author_name,omitempty"`
	Channel          Channel                 `bun:"channel" json:"channel"`
	BodyHTML         string                  `bun:"body_html" json:"body_html"`
	BodyText         string                  `bun:"body_text" json:"body_text"`
	MessageID        string                  `bun:"message_id,nullzero" json:"-"`
	CreatedAt        time.Time               `bun:"created_at" json:"created_at"`
	Attachments      []attachment.Attachment `bun:"-" json:"attachments"`
	bun.BaseModel    `bun:"table:articles,alias:a"`
}

// Scope limits what a caller may see and change. The zero Scope sees
// nothing; every read and write of this package takes one.
type Scope struct {
	all        bool
	read       []int64
	write      []int64
	customerID int64
}

// AllQueues is the scope of admins and API keys.
func AllQueues() Scope { return Scope{all: true} }

// Queues is an agent's scope: queues they may read, and the subset they may
// change. A queue in write is readable too.
func Queues(read, write []int64) Scope {
	return Scope{read: slices.Concat(read, write), write: slices.Clone(write)}
}

// OwnTickets is a customer's scope: their own tickets, whatever the queue.
func OwnTickets(customerID int64) Scope { return Scope{customerID: customerID} }

// CanRead reports whether the scope may see a ticket in queue of customer.
func (s Scope) CanRead(t *Ticket) bool {
	switch {
	case s.all:
		return true
	case s.customerID != 0:
		return t.CustomerID == s.customerID
	}
	return slices.Contains(s.read, t.QueueID)
}

// CanWrite reports whether the scope may change tickets in queueID.
func (s Scope) CanWrite(t *Ticket) bool {
	switch {
	case s.all:
		return true
	case s.customerID != 0:
		return t.CustomerID == s.customerID
	}
	return slices.Contains(s.write, t.QueueID)
}

// CanWriteQueue reports whether the scope may put tickets into queueID.
func (s Scope) CanWriteQueue(queueID int64) bool {
	return s.all || s.customerID != 0 || slices.Contains(s.write, queueID)
}

// IsCustomer reports whether the scope is a customer's.
func (s Scope) IsCustomer() bool { return s.customerID != 0 }

// Event kinds the ticket service enqueues in the outbox.
const (
	EventTicketCreated  = "ticket.created"
	EventTicketUpdated  = "ticket.updated"
	EventArticleCreated = "article.created"
)

// Event is the payload of every ticket event.
type Event struct {
	TicketID  int64       `json:"ticket_id"`
	Number    string      `json:"number"`
	ArticleID int64       `json:"article_id,omitempty"`
	Kind      ArticleKind `json:"kind,omitempty"`
	Author    AuthorType  `json:"author,omitempty"`
	Changes   []string    `json:"changes,omitempty"`
}
