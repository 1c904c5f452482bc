package customer

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
)

func findOrCreate(ctx context.Context, db bun.IDB, email, name string) (*Customer, error) {
	now := time.Now().UTC()
	c := &Customer{Email: email, Name: name, CreatedAt: now, UpdatedAt: now}
	// ON CONFLICT DO NOTHING makes concurrent first contacts converge on one row.
	_, err := db.NewInsert().Model(c).On("CONFLICT (email) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("customer: create: %w", err)
	}
	got, err := byEmail(ctx, db, email)
	if err != nil {
		return nil, err
	}
	if got.Name == "" && name != "" {
		got.Name = name
		if _, err := db.NewUpdate().Model(got).Column("name").WherePK().Exec(ctx); err != nil {
			return nil, fmt.Errorf("customer: set name: %w", err)
		}
	}
	return got, nil
}

func byEmail(ctx context.Context, db bun.IDB, email string) (*Customer, error) {
	c := new(Customer)
	err := db.NewSelect().Model(c).Where("email = ?", email).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such customer")
	}
	if err != nil {
		return nil, fmt.Errorf("customer: by email: %w", err)
	}
	return c, nil
}

func byID(ctx context.Context, db bun.IDB, id int64) (*Customer, error) {
	c := new(Customer)
	err := db.NewSelect().Model(c).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such customer")
	}
	if err != nil {
		return nil, fmt.Errorf("customer: by id: %w", err)
	}
	return c, nil
}

func orgByID(ctx context.Context, db bun.IDB, id int64) (*Organization, error) {
	o := new(Organization)
	err := db.NewSelect().Model(o).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such organization")
	}
	if err != nil {
		return nil, fmt.Errorf("customer: organization: %w", err)
	}
	return o, nil
}

func setLanguage(ctx context.Context, db bun.IDB, id int64, lang string) error {
	_, err := db.NewUpdate().Table("customers").Set("language = ?", lang).Set("updated_at = ?", time.Now().UTC()).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("customer: set language: %w", err)
	}
	return nil
}
