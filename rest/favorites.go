package rest

import (
	"context"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"github.com/tableau-go/sdk/tableau"
)

// Favorite is one item on a user's favorites.
type Favorite struct {
	Label    string
	Position int
	// Kind is workbook, datasource, view, project, flow or metric.
	Kind     string
	ID, Name string
}

// favoriteKinds may be favorites.
var favoriteKinds = []string{"workbook", "datasource", "view", "project", "flow", "metric"}

// FavoritesService manages users' favorites. c.Favorites.
type FavoritesService struct{ service }

type favoritesXML struct {
	Favorites []struct {
		Label    string `xml:"label,attr"`
		Position int    `xml:"position,attr"`
		Items    []struct {
			XMLName xml.Name
			ID      string `xml:"id,attr"`
			Name    string `xml:"name,attr"`
		} `xml:",any"`
	} `xml:"favorites>favorite"`
}

func (f *favoritesXML) decode() []Favorite {
	var out []Favorite
	for _, x := range f.Favorites {
		fv := Favorite{Label: x.Label, Position: x.Position}
		if len(x.Items) > 0 {
			fv.Kind, fv.ID, fv.Name = x.Items[0].XMLName.Local, x.Items[0].ID, x.Items[0].Name
		}
		out = append(out, fv)
	}
	return out
}

// List returns the favorites of the user with userID.
func (sv *FavoritesService) List(ctx context.Context, userID string) ([]Favorite, error) {
	const m = "Favorites.List"
	if err := need(m, "userID", userID); err != nil {
		return nil, err
	}
	path, err := sv.sitePath(m, "favorites", userID)
	if err != nil {
		return nil, err
	}
	var r favoritesXML
	if err := sv.s.Get(ctx, path, nil, &r); err != nil {
		return nil, err
	}
	return r.decode(), nil
}

func checkFavoriteKind(m, kind string) error {
	if !slices.Contains(favoriteKinds, kind) {
		return fmt.Errorf("rest.%s: %w: kind %q is not one of %s", m, tableau.ErrInvalidArgument, kind, strings.Join(favoriteKinds, ", "))
	}
	return nil
}

// Add adds an item (kind: workbook, datasource, view, project, flow or
// metric) to a user's favorites under label, and returns the favorites.
func (sv *FavoritesService) Add(ctx context.Context, userID, kind, id, label string) ([]Favorite, error) {
	const m = "Favorites.Add"
	if err := need(m, "userID", userID); err != nil {
		return nil, err
	}
	if err := need(m, "id", id); err != nil {
		return nil, err
	}
	if err := checkFavoriteKind(m, kind); err != nil {
		return nil, err
	}
	if strings.TrimSpace(label) == "" {
		return nil, fmt.Errorf("rest.%s: %w: label is empty", m, tableau.ErrInvalidArgument)
	}
	path, err := sv.sitePath(m, "favorites", userID)
	if err != nil {
		return nil, err
	}
	var req struct {
		XMLName  xml.Name `xml:"tsRequest"`
		Favorite struct {
			Label string `xml:"label,attr"`
			Item  struct {
				XMLName xml.Name
				ID      string `xml:"id,attr"`
			}
		} `xml:"favorite"`
	}
	req.Favorite.Label = label
	req.Favorite.Item.XMLName = xml.Name{Local: kind}
	req.Favorite.Item.ID = id
	var r favoritesXML
	if err := sv.s.Put(ctx, path, nil, req, &r); err != nil {
		return nil, err
	}
	return r.decode(), nil
}

// Delete removes an item from a user's favorites.
func (sv *FavoritesService) Delete(ctx context.Context, userID, kind, id string) error {
	const m = "Favorites.Delete"
	if err := need(m, "userID", userID); err != nil {
		return err
	}
	if err := need(m, "id", id); err != nil {
		return err
	}
	if err := checkFavoriteKind(m, kind); err != nil {
		return err
	}
	path, err := sv.sitePath(m, "favorites", userID, kind+"s", id)
	if err != nil {
		return err
	}
	return sv.s.Delete(ctx, path, nil)
}
