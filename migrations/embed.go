// Package migrations embeds the numbered SQL migrations of both dialects.
// postgres/NNNN_name.up.sql and sqlite/NNNN_name.up.sql carry the same
// numbers and must yield the same tables and columns; core/db applies them.
package migrations

import "embed"

// FS holds postgres/*.up.sql and sqlite/*.up.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
