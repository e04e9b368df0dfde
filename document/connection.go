package document

import (
	"fmt"
	"strconv"
)

// Connection is one database connection of a datasource: a plain
// connection, or one named connection inside a federated datasource.
// Setters change only the connection's start tag.
type Connection struct {
	d     *Document
	n     int32
	named int32 // the enclosing <named-connection>, -1 when plain
}

// ConnectionChange lists connection attributes to change; nil fields are
// left alone, a pointer to "" sets the attribute to the empty string.
type ConnectionChange struct {
	Class          *string
	Server         *string
	Port           *string
	DBName         *string
	Schema         *string
	Username       *string
	Authentication *string
	InitialSQL     *string
	QueryBand      *string
	Service        *string
}

func (c *Connection) get(key string) string { return c.d.t.attrOr(c.n, key) }

// Name returns the named connection's name (such as
// "postgres.1x2y3z"), or "" for a plain connection.
func (c *Connection) Name() string {
	if c.named < 0 {
		return ""
	}
	return c.d.t.attrOr(c.named, "name")
}

// Caption returns the named connection's caption, or "".
func (c *Connection) Caption() string {
	if c.named < 0 {
		return ""
	}
	return c.d.t.attrOr(c.named, "caption")
}

// Class returns the connection class (the database type), such as
// "postgres", "sqlserver", "hyper" or "sqlproxy".
func (c *Connection) Class() string { return c.get("class") }

// Server returns the server host name.
func (c *Connection) Server() string { return c.get("server") }

// Port returns the port ("" when not set).
func (c *Connection) Port() string { return c.get("port") }

// DBName returns the database name (for file-based classes, the file).
func (c *Connection) DBName() string { return c.get("dbname") }

// Schema returns the database schema.
func (c *Connection) Schema() string { return c.get("schema") }

// Username returns the database user name.
func (c *Connection) Username() string { return c.get("username") }

// Authentication returns the authentication method, such as
// "username-password" or "sspi".
func (c *Connection) Authentication() string { return c.get("authentication") }

// InitialSQL returns the initial SQL run on connect (attribute one-time-sql).
func (c *Connection) InitialSQL() string { return c.get("one-time-sql") }

// QueryBand returns the query band (attribute query-band-spec).
func (c *Connection) QueryBand() string { return c.get("query-band-spec") }

// Service returns the service name (Oracle).
func (c *Connection) Service() string { return c.get("service") }

// Filename returns the file of a file-based connection (Excel, text).
func (c *Connection) Filename() string { return c.get("filename") }

// Attr returns any attribute of the connection element.
func (c *Connection) Attr(key string) (string, bool) { return c.d.t.attr(c.n, key) }

// Location says where the connection is in the XML.
func (c *Connection) Location() Location {
	return Location{Line: c.d.line(c.n), Path: fmt.Sprintf("connection[class=%s]", c.Class())}
}

// SetAttr sets any attribute of the connection element.
func (c *Connection) SetAttr(key, value string) { c.d.t.setAttr(c.n, key, value, false) }

// RemoveAttr removes an attribute of the connection element.
func (c *Connection) RemoveAttr(key string) { c.d.t.setAttr(c.n, key, "", true) }

// SetServer sets the server host name.
func (c *Connection) SetServer(v string) { c.SetAttr("server", v) }

// SetPort sets the port; 0 removes the attribute.
func (c *Connection) SetPort(port int) error {
	if port < 0 || port > 65535 {
		return fmt.Errorf("%w: port %d is out of range", ErrInvalid, port)
	}
	if port == 0 {
		c.RemoveAttr("port")
		return nil
	}
	c.SetAttr("port", strconv.Itoa(port))
	return nil
}

// SetDBName sets the database name.
func (c *Connection) SetDBName(v string) { c.SetAttr("dbname", v) }

// SetSchema sets the schema.
func (c *Connection) SetSchema(v string) { c.SetAttr("schema", v) }

// SetUsername sets the user name.
func (c *Connection) SetUsername(v string) { c.SetAttr("username", v) }

// SetClass sets the connection class; it must not be empty.
func (c *Connection) SetClass(v string) error {
	if v == "" {
		return fmt.Errorf("%w: empty connection class", ErrInvalid)
	}
	c.SetAttr("class", v)
	return nil
}

// SetAuthentication sets the authentication method.
func (c *Connection) SetAuthentication(v string) { c.SetAttr("authentication", v) }

// SetInitialSQL sets the initial SQL; "" removes it.
func (c *Connection) SetInitialSQL(v string) { c.setOrRemove("one-time-sql", v) }

// SetQueryBand sets the query band; "" removes it.
func (c *Connection) SetQueryBand(v string) { c.setOrRemove("query-band-spec", v) }

func (c *Connection) setOrRemove(key, v string) {
	if v == "" {
		c.RemoveAttr(key)
		return
	}
	c.SetAttr(key, v)
}

// Apply makes every change in ch.
func (c *Connection) Apply(ch ConnectionChange) error {
	if ch.Class != nil {
		if err := c.SetClass(*ch.Class); err != nil {
			return err
		}
	}
	if ch.Port != nil {
		if *ch.Port == "" {
			c.RemoveAttr("port")
		} else {
			p, err := strconv.Atoi(*ch.Port)
			if err != nil {
				return fmt.Errorf("%w: port %q is not a number", ErrInvalid, *ch.Port)
			}
			if err := c.SetPort(p); err != nil {
				return err
			}
		}
	}
	set := func(key string, v *string) {
		if v != nil {
			c.SetAttr(key, *v)
		}
	}
	set("server", ch.Server)
	set("dbname", ch.DBName)
	set("schema", ch.Schema)
	set("username", ch.Username)
	set("authentication", ch.Authentication)
	set("service", ch.Service)
	if ch.InitialSQL != nil {
		c.SetInitialSQL(*ch.InitialSQL)
	}
	if ch.QueryBand != nil {
		c.SetQueryBand(*ch.QueryBand)
	}
	return nil
}

// connections collects the connections directly under a datasource-like
// element n: plain ones, and for federated ones, their named connections.
func connectionsUnder(d *Document, n int32) []*Connection {
	var out []*Connection
	t := d.t
	for _, c := range t.children(n, "connection") {
		if t.attrOr(c, "class") == "federated" {
			nc := t.child(c, "named-connections")
			if nc >= 0 {
				for _, named := range t.children(nc, "named-connection") {
					for _, inner := range t.children(named, "connection") {
						out = append(out, &Connection{d: d, n: inner, named: named})
					}
				}
			}
			continue
		}
		out = append(out, &Connection{d: d, n: c, named: -1})
	}
	return out
}
