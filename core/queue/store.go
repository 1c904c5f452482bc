package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/errs"
)

func list(ctx context.Context, idb bun.IDB, visibleOnly bool) ([]Queue, error) {
	out := []Queue{}
	q := idb.NewSelect().Model(&out).Order("name")
	if visibleOnly {
		q = q.Where("visible_to_customers")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("queue: list: %w", err)
	}
	return out, nil
}

func one(ctx context.Context, q *bun.SelectQuery) (*Queue, error) {
	err := q.Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such queue")
	}
	if err != nil {
		return nil, fmt.Errorf("queue: get: %w", err)
	}
	return q.GetModel().Value().(*Queue), nil
}

func byID(ctx context.Context, idb bun.IDB, id int64) (*Queue, error) {
	return one(ctx, idb.NewSelect().Model(new(Queue)).Where("id = ?", id))
}

func byName(ctx context.Context, idb bun.IDB, name string) (*Queue, error) {
	return one(ctx, idb.NewSelect().Model(new(Queue)).
		Where("name = ?", name).Where("brand_id = (SELECT id FROM brands WHERE is_default)"))
}

func defaultQueue(ctx context.Context, idb bun.IDB) (*Queue, error) {
	return one(ctx, idb.NewSelect().Model(new(Queue)).OrderExpr("is_default DESC, id"))
}

func create(ctx context.Context, idb bun.IDB, in Input) (*Queue, error) {
	now := time.Now().UTC()
	q := &Queue{Name: in.Name, Description: in.Description, VisibleToCustomers: in.VisibleToCustomers,
		DefaultType: in.DefaultType, CreatedAt: now, UpdatedAt: now}
	err := idb.NewSelect().Table("brands").Column("id").Where("is_default").Limit(1).Scan(ctx, &q.BrandID)
	if err != nil {
		return nil, fmt.Errorf("queue: default brand: %w", err)
	}
	if _, err := idb.NewInsert().Model(q).Returning("id").Exec(ctx); err != nil {
		if db.IsUniqueViolation(err, "") {
			return nil, errs.Fields("a queue with this name exists", map[string]string{"name": "already used"})
		}
		return nil, fmt.Errorf("queue: create: %w", err)
	}
	return q, nil
}

func update(ctx context.Context, idb bun.IDB, id int64, in Input) (*Queue, error) {
	q, err := byID(ctx, idb, id)
	if err != nil {
		return nil, err
	}
	q.Name, q.Description, q.VisibleToCustomers, q.DefaultType = in.Name, in.Description, in.VisibleToCustomers, in.DefaultType
	q.UpdatedAt = time.Now().UTC()
	_, err = idb.NewUpdate().Model(q).Column("name", "description", "visible_to_customers", "default_type", "updated_at").WherePK().Exec(ctx)
	if db.IsUniqueViolation(err, "") {
		return nil, errs.Fields("a queue with this name exists", map[string]string{"name": "already used"})
	}
	if err != nil {
		return nil, fmt.Errorf("queue: update: %w", err)
	}
	return q, nil
}
