// Package queue owns queues: where tickets wait, one per service, with the
// type new tickets get and whether customers may choose it. It must not import
// net/http or gin.
package queue

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
)

// Queue is a line of work for a team.
type Queue struct {
	ID                 int64     `bun:"id,pk,autoincrement" json:"id"`
	BrandID            int64     `bun:"brand_id" json:"brand_id"`
	Name               string    `bun:"name" json:"name"`
	Description        string    `bun:"description" json:"description"`
	Email              string    `bun:"email" json:"email,omitempty"`
	VisibleToCustomers bool      `bun:"visible_to_customers" json:"visible_to_customers"`
	DefaultType        string    `bun:"default_type" json:"default_type"`
	IsDefault          bool      `bun:"is_default" json:"is_default"`
	CreatedAt          time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt          time.Time `bun:"updated_at" json:"updated_at"`
	bun.BaseModel      `bun:"table:queues"`
}

// Types lists ticket types a queue may default to.
var Types = []string{"incident", "problem", "service_request"}

// Input is what a caller may set on a queue.
type Input struct {
	Name               string
	Description        string
	VisibleToCustomers bool
	DefaultType        string
}

func (in *Input) validate() error {
	f := map[string]string{}
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		f["name"] = "required"
	} else if utf8.RuneCountInString(in.Name) > 100 {
		f["name"] = "at most 100 characters"
	}
	if utf8.RuneCountInString(in.Description) > 2000 {
		f["description"] = "at most 2000 characters"
	}
	if in.DefaultType == "" {
		in.DefaultType = "incident"
	}
	valid := false
	for _, t := range Types {
		valid = valid || t == in.DefaultType
	}
	if !valid {
		f["default_type"] = "must be one of " + strings.Join(Types, ", ")
	}
	if len(f) > 0 {
		return errs.Fields("invalid queue", f)
	}
	return nil
}

// Service manages queues.
type Service struct{ db *bun.DB }

// NewService returns a queue service on db.
func NewService(db *bun.DB) *Service { return &Service{db: db} }

// List returns all queues by name.
func (s *Service) List(ctx context.Context) ([]Queue, error) { return list(ctx, s.db, false) }

// ListVisible returns the queues customers may pick.
func (s *Service) ListVisible(ctx context.Context) ([]Queue, error) { return list(ctx, s.db, true) }

// Get returns a queue or NotFound.
func (s *Service) Get(ctx context.Context, id int64) (*Queue, error) { return byID(ctx, s.db, id) }

// ByName returns the queue of the default brand with that name, or NotFound.
func (s *Service) ByName(ctx context.Context, name string) (*Queue, error) {
	return byName(ctx, s.db, name)
}

// Default returns the queue that receives tickets when none is chosen.
func (s *Service) Default(ctx context.Context) (*Queue, error) { return defaultQueue(ctx, s.db) }

// Create adds a queue to the default brand; a duplicate name is a Conflict.
func (s *Service) Create(ctx context.Context, in Input) (*Queue, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	return create(ctx, s.db, in)
}

// Update changes a queue's fields.
func (s *Service) Update(ctx context.Context, id int64, in Input) (*Queue, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	return update(ctx, s.db, id, in)
}
