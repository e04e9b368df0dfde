package hyper

import (
	"context"
	"fmt"
	"strings"
)

// TableName names a table: optional database alias, optional schema
// (default "public"), and table.
type TableName struct {
	Database string
	Schema   string
	Table    string
}

// ExtractTable is "Extract"."Extract", where Tableau looks for the data of a
// single-table extract.
func ExtractTable() TableName { return TableName{Schema: "Extract", Table: "Extract"} }

// Table returns the table name in schema "public".
func Table(name string) TableName { return TableName{Table: name} }

// String returns the quoted, qualified name, for example "Extract"."Extract".
func (n TableName) String() string {
	var b strings.Builder
	if n.Database != "" {
		b.WriteString(QuoteIdent(n.Database) + ".")
		b.WriteString(QuoteIdent(n.schema()) + ".")
	} else if n.Schema != "" {
		b.WriteString(QuoteIdent(n.Schema) + ".")
	}
	b.WriteString(QuoteIdent(n.Table))
	return b.String()
}

func (n TableName) schema() string {
	if n.Schema == "" {
		return "public"
	}
	return n.Schema
}

// catalogPrefix returns the qualifier for pg_catalog of n's database.
func (n TableName) catalogPrefix() string {
	if n.Database != "" {
		return QuoteIdent(n.Database) + ".pg_catalog."
	}
	return "pg_catalog."
}

// Column is one column of a table definition.
type Column struct {
	Name string
	Type Type
	// NotNull makes the column NOT NULL. Default: false (nullable), as in SQL.
	NotNull bool
	// Collation, for text columns, for example "en_US_CI". Default: none
	// (binary ordering).
	Collation string
}

// TableDefinition describes a table: its name and columns.
type TableDefinition struct {
	Name    TableName
	Columns []Column
}

// ExtractDefinition returns a definition of "Extract"."Extract" with columns.
func ExtractDefinition(columns ...Column) *TableDefinition {
	return &TableDefinition{Name: ExtractTable(), Columns: columns}
}

// ColumnIndex returns the index of the column named name, or -1.
func (d *TableDefinition) ColumnIndex(name string) int {
	for i, c := range d.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// validate checks the definition before any I/O.
func (d *TableDefinition) validate() error {
	if d == nil || d.Name.Table == "" {
		return fmt.Errorf("%w: table definition needs a table name", ErrInvalidOptions)
	}
	if len(d.Columns) == 0 {
		return fmt.Errorf("%w: table %s has no columns", ErrInvalidOptions, d.Name)
	}
	seen := map[string]bool{}
	for _, c := range d.Columns {
		if c.Name == "" {
			return fmt.Errorf("%w: table %s has a column without a name", ErrInvalidOptions, d.Name)
		}
		if seen[c.Name] {
			return fmt.Errorf("%w: table %s has column %q twice", ErrInvalidOptions, d.Name, c.Name)
		}
		seen[c.Name] = true
		if err := c.Type.validate(); err != nil {
			return fmt.Errorf("column %q: %w", c.Name, err)
		}
	}
	return nil
}

// SQL returns the CREATE TABLE statement for the definition.
func (d *TableDefinition) SQL(ifNotExists bool) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE ")
	if ifNotExists {
		b.WriteString("IF NOT EXISTS ")
	}
	b.WriteString(d.Name.String())
	b.WriteString(" (")
	for i, c := range d.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(QuoteIdent(c.Name) + " " + c.Type.String())
		if c.Collation != "" {
			b.WriteString(" COLLATE " + QuoteIdent(c.Collation))
		}
		if c.NotNull {
			b.WriteString(" NOT NULL")
		}
	}
	b.WriteString(")")
	return b.String()
}

// CreateSchema creates a schema if it does not exist yet. database may be
// empty for the connection's default database.
func (c *Conn) CreateSchema(ctx context.Context, database, schema string) error {
	name := QuoteIdent(schema)
	if database != "" {
		name = QuoteIdent(database) + "." + name
	}
	_, err := c.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+name)
	return err
}

// CreateTable creates the table (and its schema if missing). With
// ifNotExists, an existing table is left as it is.
func (c *Conn) CreateTable(ctx context.Context, def *TableDefinition, ifNotExists bool) error {
	if err := def.validate(); err != nil {
		return err
	}
	if def.Name.Schema != "" && def.Name.Schema != "public" {
		if err := c.CreateSchema(ctx, def.Name.Database, def.Name.Schema); err != nil {
			return err
		}
	}
	_, err := c.Exec(ctx, def.SQL(ifNotExists))
	return err
}

// DropTable drops the table if it exists.
func (c *Conn) DropTable(ctx context.Context, name TableName) error {
	_, err := c.Exec(ctx, "DROP TABLE IF EXISTS "+name.String())
	return err
}

// Schemas lists the user schemas of a database ("" for the default one).
func (c *Conn) Schemas(ctx context.Context, database string) ([]string, error) {
	prefix := TableName{Database: database}.catalogPrefix()
	rows, err := c.Query(ctx, "SELECT nspname FROM "+prefix+"pg_namespace WHERE nspname NOT IN ('pg_catalog','information_schema','pg_temp') AND nspname NOT LIKE 'pg\\_%' ORDER BY nspname")
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Tables lists the tables of a schema ("" for "public") in a database (""
// for the default one).
func (c *Conn) Tables(ctx context.Context, database, schema string) ([]TableName, error) {
	n := TableName{Database: database, Schema: schema}
	rows, err := c.Query(ctx, "SELECT c.relname FROM "+n.catalogPrefix()+"pg_class c JOIN "+n.catalogPrefix()+
		"pg_namespace ns ON c.relnamespace = ns.oid WHERE ns.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname", n.schema())
	if err != nil {
		return nil, err
	}
	var out []TableName
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, TableName{Database: database, Schema: n.schema(), Table: s})
	}
	return out, rows.Err()
}

// HasTable reports whether the table exists.
func (c *Conn) HasTable(ctx context.Context, name TableName) (bool, error) {
	tables, err := c.Tables(ctx, name.Database, name.Schema)
	if err != nil {
		return false, err
	}
	for _, t := range tables {
		if t.Table == name.Table {
			return true, nil
		}
	}
	return false, nil
}

// TableDefinition reads a table's columns, types, nullability and
// collations from the catalog.
func (c *Conn) TableDefinition(ctx context.Context, name TableName) (*TableDefinition, error) {
	p := name.catalogPrefix()
	rows, err := c.Query(ctx, "SELECT a.attname, a.atttypid, a.atttypmod, a.attnotnull, COALESCE(col.collname, '') FROM "+
		p+"pg_attribute a JOIN "+p+"pg_class c ON a.attrelid = c.oid JOIN "+p+"pg_namespace ns ON c.relnamespace = ns.oid LEFT JOIN "+
		p+"pg_collation col ON col.oid = a.attcollation AND a.attcollation <> 0 "+
		"WHERE ns.nspname = $1 AND c.relname = $2 AND a.attnum > 0 ORDER BY a.attnum",
		name.schema(), name.Table)
	if err != nil {
		return nil, err
	}
	def := &TableDefinition{Name: name}
	for rows.Next() {
		var col Column
		var oid uint32
		var mod int32
		var coll string
		if err := rows.Scan(&col.Name, &oid, &mod, &col.NotNull, &coll); err != nil {
			rows.Close()
			return nil, err
		}
		col.Type = typeFromOID(oid, mod)
		if coll != "default" && coll != "binary" && coll != "C" && coll != "POSIX" {
			col.Collation = coll
		}
		def.Columns = append(def.Columns, col)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(def.Columns) == 0 {
		return nil, fmt.Errorf("hyper: table %s does not exist", name)
	}
	return def, nil
}
