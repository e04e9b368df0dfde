package builtin

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat"
)

// ErrTraining is returned when a model cannot be trained from the data.
var ErrTraining = errors.New("builtin: training failed")

// LogisticOptions configure [TrainLogistic].
type LogisticOptions struct {
	// Label is the CSV column holding the outcome: 0/1, true/false or
	// yes/no (case-insensitive). Required.
	Label string
	// Features are the CSV columns used as predictors, in the order the
	// model's function takes them. Default: every column except Label.
	Features []string
	// L2 is the ridge penalty on the (standardised) weights, added to the
	// mean log-loss. Default: 0, the maximum-likelihood fit that
	// scikit-learn's LogisticRegression(C=np.inf) finds; set it when the
	// classes are perfectly separable.
	L2 float64
}

// LogisticModel is a trained logistic regression: P(label) =
// 1/(1+exp(-(b0 + Σ bj·xj))). Safe for concurrent use.
type LogisticModel struct {
	// Features are the predictor names, in argument order.
	Features []string
	// Intercept and Coefficients are on the original (unstandardised) scale.
	Intercept    float64
	Coefficients []float64
}

// TrainLogistic reads a CSV with a header row and fits a logistic
// regression of the label on the features with gonum's BFGS optimizer.
// Features are standardised while fitting; the returned coefficients are
// on the original scale. Errors name the row and column of bad data.
func TrainLogistic(r io.Reader, opts *LogisticOptions) (*LogisticModel, error) {
	if opts == nil || opts.Label == "" {
		return nil, fmt.Errorf("%w: LogisticOptions.Label is required", ErrTraining)
	}
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: reading the CSV header: %v", ErrTraining, err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.TrimSpace(h)] = i
	}
	labelCol, ok := index[opts.Label]
	if !ok {
		return nil, fmt.Errorf("%w: no label column %q in the header %v", ErrTraining, opts.Label, header)
	}
	features := opts.Features
	if features == nil {
		for _, h := range header {
			if h = strings.TrimSpace(h); h != opts.Label {
				features = append(features, h)
			}
		}
	}
	if len(features) == 0 {
		return nil, fmt.Errorf("%w: no feature columns", ErrTraining)
	}
	cols := make([]int, len(features))
	for j, f := range features {
		c, ok := index[f]
		if !ok {
			return nil, fmt.Errorf("%w: no feature column %q in the header %v", ErrTraining, f, header)
		}
		cols[j] = c
	}
	var xs [][]float64
	var ys []float64
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrTraining, err)
		}
		y, err := parseLabel(rec[labelCol])
		if err != nil {
			return nil, fmt.Errorf("%w: line %d, column %q: %v", ErrTraining, line, opts.Label, err)
		}
		x := make([]float64, len(cols))
		for j, c := range cols {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%w: line %d, column %q: %q is not a finite number", ErrTraining, line, features[j], rec[c])
			}
			x[j] = v
		}
		xs = append(xs, x)
		ys = append(ys, y)
	}
	return fitLogistic(features, xs, ys, opts.L2)
}

func parseLabel(s string) (float64, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "1.0", "true", "yes", "y":
		return 1, nil
	case "0", "0.0", "false", "no", "n":
		return 0, nil
	}
	return 0, fmt.Errorf("%q is not 0/1, true/false or yes/no", s)
}

func fitLogistic(features []string, xs [][]float64, ys []float64, l2 float64) (*LogisticModel, error) {
	n, d := len(xs), len(features)
	if n < d+2 {
		return nil, fmt.Errorf("%w: %d rows are too few for %d features", ErrTraining, n, d)
	}
	pos := floats.Sum(ys)
	if pos == 0 || pos == float64(n) {
		return nil, fmt.Errorf("%w: every label is %v; need both outcomes", ErrTraining, ys[0])
	}
	// Standardise.
	means, stds := make([]float64, d), make([]float64, d)
	col := make([]float64, n)
	z := make([][]float64, n)
	for i := range z {
		z[i] = make([]float64, d)
	}
	for j := range d {
		for i := range xs {
			col[i] = xs[i][j]
		}
		means[j], stds[j] = stat.MeanStdDev(col, nil)
		if stds[j] == 0 {
			return nil, fmt.Errorf("%w: feature %q is constant", ErrTraining, features[j])
		}
		for i := range xs {
			z[i][j] = (xs[i][j] - means[j]) / stds[j]
		}
	}
	// w[0] is the intercept.
	loss := func(w []float64) float64 {
		var s float64
		for i, x := range z {
			t := w[0] + floats.Dot(w[1:], x)
			// log(1+exp(t)) - y·t, computed stably.
			s += softplus(t) - ys[i]*t
		}
		return s/float64(n) + l2/2*floats.Dot(w[1:], w[1:])
	}
	grad := func(g, w []float64) {
		for j := range g {
			g[j] = 0
		}
		for i, x := range z {
			r := sigmoid(w[0]+floats.Dot(w[1:], x)) - ys[i]
			g[0] += r
			floats.AddScaled(g[1:], r, x)
		}
		floats.Scale(1/float64(n), g)
		floats.AddScaled(g[1:], l2, w[1:])
	}
	res, err := optimize.Minimize(optimize.Problem{Func: loss, Grad: grad}, make([]float64, d+1),
		&optimize.Settings{GradientThreshold: 1e-10, MajorIterations: 10000}, &optimize.BFGS{})
	if err != nil && res == nil {
		return nil, fmt.Errorf("%w: %v", ErrTraining, err)
	}
	w := res.X
	for _, v := range w[1:] {
		if math.Abs(v) > 50 || math.IsNaN(v) {
			return nil, fmt.Errorf("%w: the weights diverge (the classes look perfectly separable); set LogisticOptions.L2", ErrTraining)
		}
	}
	m := &LogisticModel{Features: append([]string(nil), features...), Intercept: w[0], Coefficients: make([]float64, d)}
	for j := range d {
		m.Coefficients[j] = w[j+1] / stds[j]
		m.Intercept -= w[j+1] * means[j] / stds[j]
	}
	return m, nil
}

func sigmoid(t float64) float64 {
	if t >= 0 {
		return 1 / (1 + math.Exp(-t))
	}
	e := math.Exp(t)
	return e / (1 + e)
}

func softplus(t float64) float64 {
	if t > 30 {
		return t
	}
	return math.Log1p(math.Exp(t))
}

// Score returns the probability of the label for each row of the feature
// columns (one column per feature, in m.Features order). Rows with a
// missing (NaN) feature score NaN, which Tableau shows as null.
func (m *LogisticModel) Score(cols ...[]float64) ([]float64, error) {
	if len(cols) != len(m.Features) {
		return nil, inputError("the model takes %d features (%s), got %d", len(m.Features), strings.Join(m.Features, ", "), len(cols))
	}
	n := 0
	if len(cols) > 0 {
		n = len(cols[0])
	}
	for j, c := range cols {
		if len(c) != n {
			return nil, inputError("feature %s has %d values, %s has %d", m.Features[j], len(c), m.Features[0], n)
		}
	}
	out := make([]float64, n)
	for i := range n {
		t := m.Intercept
		for j, c := range cols {
			t += m.Coefficients[j] * c[i]
		}
		out[i] = sigmoid(t) // NaN in, NaN out
	}
	return out, nil
}

// Function returns the model as a function for [analytics.Server.Register]:
// one []float64 parameter per feature, returning the probabilities.
func (m *LogisticModel) Function() any {
	in := make([]reflect.Type, len(m.Features))
	for i := range in {
		in[i] = reflect.TypeFor[[]float64]()
	}
	ft := reflect.FuncOf(in, []reflect.Type{reflect.TypeFor[[]float64](), reflect.TypeFor[error]()}, false)
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		cols := make([][]float64, len(args))
		for i, a := range args {
			cols[i] = a.Interface().([]float64)
		}
		out, err := m.Score(cols...)
		errV := reflect.Zero(reflect.TypeFor[error]())
		if err != nil {
			errV = reflect.ValueOf(&err).Elem()
		}
		return []reflect.Value{reflect.ValueOf(out), errV}
	}).Interface()
}
