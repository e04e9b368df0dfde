// Command check-standards checks that workbooks use only approved fonts and
// colors, reports every breach with where it is, and with -fix rewrites the
// workbooks so they comply.
//
//	check-standards -standards standards.json sales.twbx finance.twb
//	check-standards -standards standards.json -fix sales.twbx
//
// The standards file:
//
//	{
//	  "fonts":   ["Tableau Book", "Tableau Semibold"],
//	  "palette": {"name": "Corporate", "colors": ["#1f77b4", "#ff7f0e", "#2ca02c", "#000000", "#ffffff"]}
//	}
//
// Checked: every font (style rules, format attributes, text runs), every
// color (style rules, text runs, colors assigned to values), every custom
// palette in the workbook's preferences, and the palettes mark colors use.
// With -fix, a font becomes the first approved font, a color the nearest
// approved color, a custom palette's colors their nearest approved colors,
// and a palette reference the approved palette (added to the workbook when
// missing). Without -fix the command fails when it finds a breach.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tableau-go/sdk/document"
)

// Standards is the standards file.
type Standards struct {
	Fonts   []string `json:"fonts"`
	Palette struct {
		Name   string   `json:"name"`
		Colors []string `json:"colors"`
	} `json:"palette"`
}

func loadStandards(path string) (*Standards, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Standards
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("standards file %s: %w", path, err)
	}
	if len(s.Fonts) == 0 || len(s.Palette.Colors) == 0 || s.Palette.Name == "" {
		return nil, fmt.Errorf("standards file %s: needs fonts, and a palette with a name and colors", path)
	}
	for i, c := range s.Palette.Colors {
		if _, ok := parseColor(c); !ok {
			return nil, fmt.Errorf("standards file %s: color %q is not #rrggbb", path, c)
		}
		s.Palette.Colors[i] = strings.ToLower(c)
	}
	return &s, nil
}

// errBreaches is returned when breaches were found and not fixed.
var errBreaches = errors.New("workbooks break the standards")

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "check-standards:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("check-standards", flag.ContinueOnError)
	stdPath := fs.String("standards", "", "standards file (JSON)")
	fix := fs.Bool("fix", false, "rewrite the workbooks so they comply")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *stdPath == "" || fs.NArg() == 0 {
		return errors.New("usage: check-standards -standards standards.json [-fix] WORKBOOK [WORKBOOK ...]")
	}
	std, err := loadStandards(*stdPath)
	if err != nil {
		return err
	}
	total := 0
	for _, path := range fs.Args() {
		n, err := checkFile(ctx, path, std, *fix, stdout)
		if err != nil {
			return err
		}
		total += n
	}
	switch {
	case total == 0:
		fmt.Fprintln(stdout, "all workbooks comply")
	case *fix:
		fmt.Fprintf(stdout, "%d breach(es) fixed\n", total)
	default:
		fmt.Fprintf(stdout, "%d breach(es)\n", total)
		return errBreaches
	}
	return nil
}

func checkFile(ctx context.Context, path string, std *Standards, fix bool, stdout io.Writer) (int, error) {
	w, err := document.OpenWorkbook(ctx, path, nil)
	if err != nil {
		return 0, err
	}
	defer w.Close()
	name := filepath.Base(path)
	breaches := 0
	report := func(loc document.Location, msg string, fixed string) {
		breaches++
		line := fmt.Sprintf("%s:%d: %s: %s", name, loc.Line, loc.Path, msg)
		if fix {
			line += " (fixed: " + fixed + ")"
		}
		fmt.Fprintln(stdout, line)
	}
	paletteUsed := false
	for _, s := range w.Styles() {
		switch s.Kind {
		case document.StyleFont:
			if slices.Contains(std.Fonts, s.Value) {
				continue
			}
			report(s.Location, fmt.Sprintf("font %q is not approved", s.Value), std.Fonts[0])
			if fix {
				if err := s.Set(std.Fonts[0]); err != nil {
					return 0, err
				}
			}
		case document.StyleColor:
			if slices.Contains(std.Palette.Colors, strings.ToLower(s.Value)) {
				continue
			}
			near := nearest(s.Value, std.Palette.Colors)
			report(s.Location, fmt.Sprintf("color %s is not in palette %q", s.Value, std.Palette.Name), near)
			if fix {
				if err := s.Set(near); err != nil {
					return 0, err
				}
			}
		case document.StylePalette:
			if s.Value == std.Palette.Name {
				paletteUsed = true
				continue
			}
			report(s.Location, fmt.Sprintf("palette %q is not the approved palette %q", s.Value, std.Palette.Name), std.Palette.Name)
			if fix {
				if err := s.Set(std.Palette.Name); err != nil {
					return 0, err
				}
				paletteUsed = true
			}
		}
	}
	for _, p := range w.Palettes() {
		var bad []string
		fixed := make([]string, 0, len(p.Colors()))
		for _, c := range p.Colors() {
			if !slices.Contains(std.Palette.Colors, strings.ToLower(c)) {
				bad = append(bad, c)
			}
			fixed = append(fixed, nearest(c, std.Palette.Colors))
		}
		if p.Name() == std.Palette.Name && !slices.Equal(p.Colors(), std.Palette.Colors) {
			bad = append(bad, "(differs from the approved palette)")
			fixed = std.Palette.Colors
		}
		if len(bad) == 0 {
			continue
		}
		report(p.Location(), fmt.Sprintf("custom palette uses colors outside the approved palette: %s", strings.Join(bad, " ")), strings.Join(fixed, " "))
		if fix {
			if err := p.SetColors(fixed); err != nil {
				return 0, err
			}
		}
	}
	if fix && paletteUsed {
		if _, err := w.Palette(std.Palette.Name); err != nil {
			if _, err := w.AddPalette(std.Palette.Name, "regular", std.Palette.Colors); err != nil {
				return 0, err
			}
		}
	}
	if fix && w.Changed() {
		if err := w.Save(ctx); err != nil {
			return 0, err
		}
	}
	if breaches == 0 {
		fmt.Fprintf(stdout, "%s: complies\n", name)
	}
	return breaches, nil
}

func parseColor(s string) ([3]int, bool) {
	var rgb [3]int
	if len(s) != 7 && len(s) != 9 || s[0] != '#' {
		return rgb, false
	}
	for i := range 3 {
		v, err := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return rgb, false
		}
		rgb[i] = int(v)
	}
	return rgb, true
}

// nearest returns the approved color closest to c (Euclidean in RGB).
func nearest(c string, approved []string) string {
	rgb, ok := parseColor(c)
	if !ok {
		return approved[0]
	}
	best, bestD := approved[0], -1
	for _, a := range approved {
		argb, _ := parseColor(a)
		d := 0
		for i := range 3 {
			d += (rgb[i] - argb[i]) * (rgb[i] - argb[i])
		}
		if bestD < 0 || d < bestD {
			best, bestD = a, d
		}
	}
	return best
}
