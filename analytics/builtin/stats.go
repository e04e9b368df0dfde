package builtin

import (
	"fmt"
	"math"
	"net/http"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/tableau-go/sdk/analytics"
)

// inputError is a 400 naming the problem with the data Tableau sent.
func inputError(format string, a ...any) error {
	return &analytics.Error{Status: http.StatusBadRequest, Message: "Invalid arguments", Info: fmt.Sprintf(format, a...)}
}

// finite returns the values that are not NaN or infinite (Tableau's nulls
// arrive as NaN).
func finite(xs []float64) []float64 {
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

// TTestResult is the outcome of [WelchTTest].
type TTestResult struct {
	T  float64 // the t statistic
	DF float64 // Welch–Satterthwaite degrees of freedom
	P  float64 // two-sided p-value
}

// WelchTTest tests whether two samples have the same mean without
// assuming equal variances (Welch's t-test, scipy's
// ttest_ind(a, b, equal_var=False)). NaN values are ignored; each sample
// needs at least two values and some variance.
func WelchTTest(a, b []float64) (TTestResult, error) {
	a, b = finite(a), finite(b)
	if len(a) < 2 || len(b) < 2 {
		return TTestResult{}, inputError("ttest: each sample needs at least 2 values, got %d and %d", len(a), len(b))
	}
	ma, va := stat.MeanVariance(a, nil)
	mb, vb := stat.MeanVariance(b, nil)
	na, nb := float64(len(a)), float64(len(b))
	sa, sb := va/na, vb/nb
	if sa+sb == 0 {
		return TTestResult{}, inputError("ttest: both samples are constant; the t statistic is undefined")
	}
	t := (ma - mb) / math.Sqrt(sa+sb)
	df := (sa + sb) * (sa + sb) / (sa*sa/(na-1) + sb*sb/(nb-1))
	dist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}
	return TTestResult{T: t, DF: df, P: 2 * dist.Survival(math.Abs(t))}, nil
}

// ANOVAResult is the outcome of [OneWayANOVA].
type ANOVAResult struct {
	F   float64 // the F statistic
	DF1 float64 // between-groups degrees of freedom (groups - 1)
	DF2 float64 // within-groups degrees of freedom (values - groups)
	P   float64 // p-value
}

// OneWayANOVA tests whether the groups' means are equal (scipy's f_oneway
// on the values split by group). values and groups are parallel columns, as
// Tableau sends a measure and a dimension; rows whose value is NaN are
// ignored. It needs two groups or more and more values than groups.
func OneWayANOVA(values []float64, groups []string) (ANOVAResult, error) {
	if len(values) != len(groups) {
		return ANOVAResult{}, inputError("anova: %d values but %d groups", len(values), len(groups))
	}
	byGroup := map[string][]float64{}
	var order []string
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		g := groups[i]
		if _, ok := byGroup[g]; !ok {
			order = append(order, g)
		}
		byGroup[g] = append(byGroup[g], v)
	}
	k := len(order)
	all := finite(values)
	n := len(all)
	if k < 2 {
		return ANOVAResult{}, inputError("anova: need at least 2 groups, got %d", k)
	}
	if n <= k {
		return ANOVAResult{}, inputError("anova: need more values (%d) than groups (%d)", n, k)
	}
	grand := stat.Mean(all, nil)
	var ssb, ssw float64
	for _, g := range order {
		xs := byGroup[g]
		m := stat.Mean(xs, nil)
		ssb += float64(len(xs)) * (m - grand) * (m - grand)
		for _, x := range xs {
			ssw += (x - m) * (x - m)
		}
	}
	df1, df2 := float64(k-1), float64(n-k)
	if ssw == 0 {
		return ANOVAResult{}, inputError("anova: no variance within groups; the F statistic is undefined")
	}
	f := (ssb / df1) / (ssw / df2)
	return ANOVAResult{F: f, DF1: df1, DF2: df2, P: distuv.F{D1: df1, D2: df2}.Survival(f)}, nil
}

// LinearForecast fits y = a + b·x by least squares (gonum's
// stat.LinearRegression) on the rows where x and y are both present, and
// returns a + b·x for every row with an x: fitted values for the past and
// the forecast for rows whose y is null (NaN). Rows without x get NaN.
func LinearForecast(x, y []float64) ([]float64, error) {
	if len(x) != len(y) {
		return nil, inputError("linear_forecast: %d x values but %d y values", len(x), len(y))
	}
	var fx, fy []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) && !math.IsInf(x[i], 0) && !math.IsInf(y[i], 0) {
			fx = append(fx, x[i])
			fy = append(fy, y[i])
		}
	}
	if len(fx) < 2 {
		return nil, inputError("linear_forecast: need at least 2 rows with both x and y, got %d", len(fx))
	}
	if stat.Variance(fx, nil) == 0 {
		return nil, inputError("linear_forecast: every x is the same; the slope is undefined")
	}
	a, b := stat.LinearRegression(fx, fy, nil, false)
	out := make([]float64, len(x))
	for i, xi := range x {
		out[i] = a + b*xi // NaN x gives NaN
	}
	return out, nil
}
