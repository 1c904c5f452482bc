package attachment

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/errs"
)

func insert(ctx context.Context, db bun.IDB, rows []Attachment) error {
	if _, err := db.NewInsert().Model(&rows).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("attachment: record: %w", err)
	}
	return nil
}

func forArticles(ctx context.Context, db bun.IDB, articleIDs []int64) (map[int64][]Attachment, error) {
	out := map[int64][]Attachment{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	var rows []Attachment
	if err := db.NewSelect().Model(&rows).Where("article_id IN (?)", bun.List(articleIDs)).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("attachment: list: %w", err)
	}
	for _, a := range rows {
		out[a.ArticleID] = append(out[a.ArticleID], a)
	}
	return out, nil
}

func byPublicID(ctx context.Context, db bun.IDB, ticketID int64, publicID string) (*Attachment, error) {
	a := new(Attachment)
	err := db.NewSelect().Model(a).Where("public_id = ?", publicID).Where("ticket_id = ?", ticketID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "no such attachment")
	}
	if err != nil {
		return nil, fmt.Errorf("attachment: get: %w", err)
	}
	return a, nil
}
