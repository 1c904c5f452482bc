package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
)

func insertStored(ctx context.Context, idb bun.IDB, row *Stored) error {
	if _, err := idb.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("mail: keep in sink: %w", err)
	}
	return nil
}

func listStored(ctx context.Context, idb bun.IDB, to string, limit int) ([]Stored, error) {
	out := []Stored{}
	q := idb.NewSelect().Model(&out).Order("id DESC").Limit(int64(limit))
	if to != "" {
		q = q.Where("to_addr = ?", to)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("mail: list sink: %w", err)
	}
	return out, nil
}

func storedByID(ctx context.Context, idb bun.IDB, id int64) (*Stored, error) {
	row := new(Stored)
	err := idb.NewSelect().Model(row).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such message")
	}
	if err != nil {
		return nil, fmt.Errorf("mail: read sink: %w", err)
	}
	return row, nil
}

// brand is what mails say about the helpdesk that sends them.
type brand struct {
	Name   string `bun:"name"`
	Sender string `bun:"sender"`
}

// brandOf reads a brand's name and sender; id 0 is the default brand.
func brandOf(ctx context.Context, idb bun.IDB, id int64) (brand, error) {
	var b brand
	q := idb.NewSelect().Table("brands").Column("name", "sender")
	if id == 0 {
		q = q.Where("is_default = ?", true)
	} else {
		q = q.Where("id = ?", id)
	}
	err := q.Limit(1).Scan(ctx, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return brand{Name: "Guichet"}, nil
	}
	if err != nil {
		return b, fmt.Errorf("mail: read brand: %w", err)
	}
	return b, nil
}
