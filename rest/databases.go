package rest

import (
	"context"
	"encoding/xml"
	"fmt"

	"github.com/tableau-go/sdk/tableau"
)

// Database is a database known to Tableau Catalog.
type Database struct {
	ID                string `xml:"id,attr"`
	Name              string `xml:"name,attr"`
	Description       string `xml:"description,attr"`
	ConnectionType    string `xml:"connectionType,attr"`
	HostName          string `xml:"hostName,attr"`
	Port              string `xml:"port,attr"`
	IsCertified       bool   `xml:"isCertified,attr"`
	CertificationNote string `xml:"certificationNote,attr"`
	IsEmbedded        bool   `xml:"isEmbedded,attr"`
	Contact           Owner  `xml:"contact"`
	Tags              []Tag  `xml:"tags>tag"`
}

// AssetUpdate changes a database or table's Catalog metadata; nil fields
// stay as they are.
type AssetUpdate struct {
	Description       *string
	Certified         *bool
	CertificationNote *string
	ContactID         *string
}

type assetRequest struct {
	XMLName           xml.Name
	Description       *string `xml:"description,attr,omitempty"`
	IsCertified       *string `xml:"isCertified,attr,omitempty"`
	CertificationNote *string `xml:"certificationNote,attr,omitempty"`
	Contact           *idElem `xml:"contact,omitempty"`
}

func (in AssetUpdate) request(kind string) any {
	a := assetRequest{XMLName: xml.Name{Local: kind}, Description: in.Description, CertificationNote: in.CertificationNote}
	if in.Certified != nil {
		a.IsCertified = boolStrp(*in.Certified)
	}
	if in.ContactID != nil {
		a.Contact = &idElem{ID: *in.ContactID}
	}
	return struct {
		XMLName xml.Name `xml:"tsRequest"`
		A       assetRequest
	}{A: a}
}

// DatabasesService reads and annotates Catalog databases. c.Databases.
type DatabasesService struct{ service }

type databaseList struct {
	Pagination tableau.Pagination `xml:"pagination"`
	Databases  []Database         `xml:"databases>database"`
}

// List returns a pager over the site's databases.
func (sv *DatabasesService) List(opts *tableau.ListOptions) *tableau.Pager[Database] {
	path, err := sv.sitePath("Databases.List", "databases")
	if err != nil {
		return tableau.ErrorPager[Database](err)
	}
	return tableau.PagedList(sv.s, path, opts, func(r *databaseList) ([]Database, tableau.Pagination) {
		return r.Databases, r.Pagination
	})
}

// Get returns the database with id.
func (sv *DatabasesService) Get(ctx context.Context, id string) (*Database, error) {
	return assetSend[Database](ctx, sv.service, "Databases.Get", "GET", "database", id, nil)
}

// Update changes the database's description, certification or contact.
func (sv *DatabasesService) Update(ctx context.Context, id string, in AssetUpdate) (*Database, error) {
	return assetSend[Database](ctx, sv.service, "Databases.Update", "PUT", "database", id, in.request("database"))
}

// Delete removes the database (and its tables) from the Catalog.
func (sv *DatabasesService) Delete(ctx context.Context, id string) error {
	return assetDelete(ctx, sv.service, "Databases.Delete", "databases", id)
}

func assetSend[T any](ctx context.Context, sv service, m, method, kind, id string, body any) (*T, error) {
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, kind+"s", id)
	if err != nil {
		return nil, err
	}
	var r struct {
		Items []T `xml:",any"`
	}
	if method == "GET" {
		err = sv.s.Get(ctx, path, nil, &r)
	} else {
		err = sv.s.Put(ctx, path, nil, body, &r)
	}
	if err != nil {
		return nil, err
	}
	if len(r.Items) == 0 {
		return nil, fmt.Errorf("rest.%s: the response has no <%s>", m, kind)
	}
	return &r.Items[0], nil
}

func assetDelete(ctx context.Context, sv service, m string, elem ...string) error {
	if err := need(m, "id", elem[len(elem)-1]); err != nil {
		return err
	}
	path, err := sv.sitePath(m, elem...)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
