package builtin

import (
	"context"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/tableau-go/sdk/analytics"
)

// Register adds the built-in functions to s:
//
//	ttest(a, b []float64) []float64            Welch's t-test p-value (one value)
//	anova(values []float64, groups []string)    one-way ANOVA p-value (one value)
//	kmeans(k []int64, x, y []float64) []int64   cluster 1..k per row (0: missing value)
//	linear_forecast(x, y []float64) []float64   least-squares fit and forecast per row
//	sentiment(text []string) []float64          VADER compound score per row
//	describe(table) table                       table extension: count, mean, std, min, max per numeric column
func Register(s *analytics.Server) error {
	sent := NewSentiment()
	regs := []struct {
		name string
		fn   any
		opts *analytics.FunctionOptions
	}{
		{"ttest", func(a, b []float64) ([]float64, error) {
			r, err := WelchTTest(a, b)
			return []float64{r.P}, err
		}, &analytics.FunctionOptions{Description: "Welch's two-sample t-test: the two-sided p-value that a and b have the same mean (nulls ignored)", Params: []string{"a", "b"}}},
		{"anova", func(values []float64, groups []string) ([]float64, error) {
			r, err := OneWayANOVA(values, groups)
			return []float64{r.P}, err
		}, &analytics.FunctionOptions{Description: "One-way ANOVA: the p-value that every group has the same mean", Params: []string{"values", "groups"}}},
		{"kmeans", func(ctx context.Context, k []int64, x, y []float64) ([]int64, error) {
			if len(k) == 0 {
				return []int64{}, nil
			}
			for _, v := range k[1:] {
				if v != k[0] {
					return nil, inputError("kmeans: k must be the same on every row (pass a constant such as 3)")
				}
			}
			if k[0] > 1000 {
				return nil, inputError("kmeans: k = %d is too large", k[0])
			}
			return KMeans(int(k[0]), [][]float64{x, y}, nil)
		}, &analytics.FunctionOptions{Description: "k-means clustering of (x, y), standardised: cluster 1..k per row, 0 where a value is null", Params: []string{"k", "x", "y"}}},
		{"linear_forecast", func(x, y []float64) ([]float64, error) {
			return LinearForecast(x, y)
		}, &analytics.FunctionOptions{Description: "Least-squares line y = a + b*x: the fitted value for every row, a forecast where y is null", Params: []string{"x", "y"}}},
		{"sentiment", func(text []string) ([]float64, error) {
			return sent.Compound(text), nil
		}, &analytics.FunctionOptions{Description: "VADER sentiment: compound score from -1 (negative) to 1 (positive)", Params: []string{"text"}}},
	}
	for _, r := range regs {
		if err := s.Register(r.name, r.fn, r.opts); err != nil {
			return err
		}
	}
	return s.RegisterTable("describe", Describe, &analytics.FunctionOptions{
		Description: "Table extension: count, mean, std, min and max of every numeric column"})
}

// Describe is a table extension: one row per numeric input column with
// its count of non-null values, mean, sample standard deviation, minimum
// and maximum.
func Describe(ctx context.Context, in analytics.Table) (analytics.Table, error) {
	var names []string
	var count, mean, std, lo, hi []float64
	for _, c := range in.Columns {
		xs, err := in.Floats(c.Name)
		if err != nil {
			continue // not numeric
		}
		xs = finite(xs)
		names = append(names, c.Name)
		count = append(count, float64(len(xs)))
		if len(xs) == 0 {
			nan := math.NaN()
			mean, std, lo, hi = append(mean, nan), append(std, nan), append(lo, nan), append(hi, nan)
			continue
		}
		m, sd := stat.MeanStdDev(xs, nil)
		mn, mx := xs[0], xs[0]
		for _, x := range xs {
			mn, mx = math.Min(mn, x), math.Max(mx, x)
		}
		mean, std, lo, hi = append(mean, m), append(std, sd), append(lo, mn), append(hi, mx)
	}
	if names == nil {
		return analytics.Table{}, inputError("describe: the input table has no numeric column (columns: %d)", len(in.Columns))
	}
	return analytics.NewTable(
		analytics.Column{Name: "column", Values: names},
		analytics.Column{Name: "count", Values: count},
		analytics.Column{Name: "mean", Values: mean},
		analytics.Column{Name: "std", Values: std},
		analytics.Column{Name: "min", Values: lo},
		analytics.Column{Name: "max", Values: hi},
	), nil
}

// RegisterModel adds a trained logistic model under name: one []float64
// argument per feature, the probability per row.
func RegisterModel(s *analytics.Server, name string, m *LogisticModel) error {
	return s.Register(name, m.Function(), &analytics.FunctionOptions{
		Description: fmt.Sprintf("Logistic regression: probability per row from %v", m.Features),
		Params:      append([]string(nil), m.Features...),
	})
}
