package db_test

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/guichet/guichet/core/db"
	"github.com/guichet/guichet/core/dbtest"
)

func TestMigrationSetsMatch(t *testing.T) {
	pg, err := db.Migrations("postgres")
	if err != nil {
		t.Fatal(err)
	}
	lite, err := db.Migrations("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) == 0 {
		t.Fatal("no migrations embedded")
	}
	if len(pg) != len(lite) {
		t.Fatalf("postgres has %d migrations, sqlite %d", len(pg), len(lite))
	}
	for i := range pg {
		if pg[i].Version != lite[i].Version || pg[i].Name != lite[i].Name {
			t.Errorf("migration %d: postgres %04d_%s, sqlite %04d_%s", i, pg[i].Version, pg[i].Name, lite[i].Version, lite[i].Name)
		}
	}
}

// columns lists "table.column" for every user table.
func columns(t *testing.T, bdb *bun.DB) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	if db.IsPostgres(bdb) {
		err := bdb.NewRaw(`SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = current_schema()`).Scan(ctx, &out)
		if err != nil {
			t.Fatal(err)
		}
	} else {
		err := bdb.NewRaw(`SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`).Scan(ctx, &out)
		if err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(out)
	return out
}

func TestSchemasHaveSameTablesAndColumns(t *testing.T) {
	if os.Getenv("GUICHET_TEST_POSTGRES") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but GUICHET_TEST_POSTGRES is not set")
		}
		t.Skip("GUICHET_TEST_POSTGRES not set: cannot compare the PostgreSQL schema")
	}
	lite := columns(t, dbtest.Open(t, "sqlite"))
	pg := columns(t, dbtest.Open(t, "postgres"))
	if strings.Join(lite, "\n") != strings.Join(pg, "\n") {
		t.Errorf("schemas differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		applied, err := db.Migrate(context.Background(), bdb)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second migrate applied %v, want nothing", applied)
		}
		var n int
		if err := bdb.NewRaw("SELECT count(*) FROM brands WHERE is_default").Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("default brands = %d, want 1", n)
		}
	})
}

func TestNowIsDatabaseTime(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, bdb *bun.DB) {
		now, err := db.Now(context.Background(), bdb)
		if err != nil {
			t.Fatal(err)
		}
		if now.IsZero() || now.Location().String() != "UTC" {
			t.Errorf("Now = %v, want a UTC time", now)
		}
	})
}
