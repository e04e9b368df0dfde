package builtin_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/tableau-go/sdk/analytics"
	"github.com/tableau-go/sdk/analytics/builtin"
	"github.com/tableau-go/sdk/internal/testenv"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

// churnCSV makes a deterministic, noisy (not separable) training set.
func churnCSV(n int) string {
	rng := rand.New(rand.NewPCG(7, 7))
	var b strings.Builder
	b.WriteString("tenure,charges,calls,churned\n")
	for range n {
		tenure := rng.Float64() * 72
		charges := 20 + rng.Float64()*100
		calls := float64(rng.IntN(8))
		z := 0.5 - 0.06*tenure + 0.02*charges + 0.4*calls - 2
		p := 1 / (1 + math.Exp(-z))
		y := 0
		if rng.Float64() < p {
			y = 1
		}
		fmt.Fprintf(&b, "%.2f,%.2f,%.0f,%d\n", tenure, charges, calls, y)
	}
	return b.String()
}

// TestAgainstScipyAndSklearn checks every statistic against the Python
// reference implementations in the peers' virtualenv.
func TestAgainstScipyAndSklearn(t *testing.T) {
	py := testenv.Python(t)
	rng := rand.New(rand.NewPCG(1, 2))
	gauss := func(n int, mu, sd float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = mu + sd*rng.NormFloat64()
		}
		return out
	}
	a, b := gauss(40, 10, 2), gauss(55, 11, 5)
	var av []float64
	var ag []string
	for g, mu := range []float64{5, 5.5, 7} {
		for _, v := range gauss(20+g*5, mu, 1.5) {
			av = append(av, v)
			ag = append(ag, fmt.Sprintf("g%d", g))
		}
	}
	lx := make([]float64, 50)
	ly := make([]float64, 50)
	for i := range lx {
		lx[i] = float64(i)
		ly[i] = 3 + 0.7*lx[i] + rng.NormFloat64()
	}
	csv := churnCSV(800)
	model, err := builtin.TrainLogistic(strings.NewReader(csv), &builtin.LogisticOptions{Label: "churned"})
	if err != nil {
		t.Fatal(err)
	}
	score := [][]float64{{1, 12, 60, 3.5}, {110, 30, 70, 25}, {6, 0, 2, 1}}
	probs, err := model.Score(score...)
	if err != nil {
		t.Fatal(err)
	}
	var kx, ky []float64
	for c, ctr := range [][2]float64{{0, 0}, {10, 0}, {5, 9}} {
		for range 30 + c {
			kx = append(kx, ctr[0]+rng.NormFloat64())
			ky = append(ky, ctr[1]+rng.NormFloat64())
		}
	}
	labels, err := builtin.KMeans(3, [][]float64{kx, ky}, nil)
	if err != nil {
		t.Fatal(err)
	}

	req, _ := json.Marshal(map[string]any{
		"ttest_a": a, "ttest_b": b, "anova_values": av, "anova_groups": ag,
		"lin_x": lx, "lin_y": ly,
		"logit_csv": csv, "logit_features": []string{"tenure", "charges", "calls"}, "logit_label": "churned", "logit_score": score,
		"km_x": kx, "km_y": ky, "km_k": 3, "km_labels": labels,
	})
	cmd := exec.Command(py, "testdata/reference.py")
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("reference.py: %v\n%s", err, stderr.String())
	}
	var ref struct {
		TTestT, TTestP, AnovaF, AnovaP, LinSlope, LinIntercept, KmARI float64
		LogitProba                                                    []float64
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(outb, &raw); err != nil {
		t.Fatal(err)
	}
	get := func(k string, v any) {
		if err := json.Unmarshal(raw[k], v); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
	get("ttest_t", &ref.TTestT)
	get("ttest_p", &ref.TTestP)
	get("anova_f", &ref.AnovaF)
	get("anova_p", &ref.AnovaP)
	get("lin_slope", &ref.LinSlope)
	get("lin_intercept", &ref.LinIntercept)
	get("km_ari", &ref.KmARI)
	get("logit_proba", &ref.LogitProba)

	tt, err := builtin.WelchTTest(a, b)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "t", tt.T, ref.TTestT, 1e-9)
	near(t, "ttest p", tt.P, ref.TTestP, 1e-7)
	an, err := builtin.OneWayANOVA(av, ag)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "F", an.F, ref.AnovaF, 1e-9)
	near(t, "anova p", an.P, ref.AnovaP, 1e-7)
	fc, err := builtin.LinearForecast(lx, ly)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "intercept", fc[0], ref.LinIntercept, 1e-9)
	near(t, "slope", fc[1]-fc[0], ref.LinSlope, 1e-9)
	for i, p := range probs {
		near(t, fmt.Sprintf("churn probability %d", i), p, ref.LogitProba[i], 1e-4)
	}
	if ref.KmARI < 0.999 {
		t.Errorf("k-means labels differ from scikit-learn's: adjusted Rand index %v", ref.KmARI)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := builtin.WelchTTest([]float64{1}, []float64{1, 2}); !errors.Is(err, analytics.ErrBadRequest) {
		t.Errorf("ttest: %v", err)
	}
	if _, err := builtin.WelchTTest([]float64{1, 1, math.NaN()}, []float64{2, 2}); err == nil || !strings.Contains(err.Error(), "constant") {
		t.Errorf("ttest constant: %v", err)
	}
	if _, err := builtin.OneWayANOVA([]float64{1, 2}, []string{"a", "a"}); err == nil || !strings.Contains(err.Error(), "2 groups") {
		t.Errorf("anova: %v", err)
	}
	if _, err := builtin.LinearForecast([]float64{1, 1}, []float64{1, 2}); err == nil {
		t.Error("forecast with constant x")
	}
	if _, err := builtin.KMeans(5, [][]float64{{1, 2}}, nil); err == nil {
		t.Error("kmeans with too few rows")
	}
	for _, c := range []struct{ csv, want string }{
		{"a,b\n1,1\n", `no label column "y"`},
		{"a,y\n1,1\nx,0\n", `line 3, column "a": "x" is not a finite number`},
		{"a,y\n1,2\n", `"2" is not 0/1`},
		{"a,y\n1,1\n2,1\n3,1\n4,1\n", "need both outcomes"},
		{"a,y\n1,0\n2,0\n3,1\n4,1\n", "separable"},
	} {
		_, err := builtin.TrainLogistic(strings.NewReader(c.csv), &builtin.LogisticOptions{Label: "y"})
		if !errors.Is(err, builtin.ErrTraining) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.csv, err, c.want)
		}
	}
	// With a ridge penalty separable data trains.
	if _, err := builtin.TrainLogistic(strings.NewReader("a,y\n1,0\n2,0\n3,1\n4,1\n"), &builtin.LogisticOptions{Label: "y", L2: 0.1}); err != nil {
		t.Errorf("L2: %v", err)
	}
}

func TestForecastFillsNulls(t *testing.T) {
	nan := math.NaN()
	got, err := builtin.LinearForecast([]float64{1, 2, 3, 4, 5}, []float64{2, 4, 6, nan, nan})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{2, 4, 6, 8, 10} {
		near(t, fmt.Sprint("forecast ", i), got[i], want, 1e-12)
	}
}

func TestKMeansMissingValues(t *testing.T) {
	nan := math.NaN()
	labels, err := builtin.KMeans(2, [][]float64{{0, 0.1, nan, 10, 10.1}, {0, 0, 1, 10, 10}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if labels[2] != 0 || labels[0] != labels[1] || labels[3] != labels[4] || labels[0] == labels[3] {
		t.Errorf("labels %v", labels)
	}
}

func TestSentiment(t *testing.T) {
	s := builtin.NewSentiment()
	got := s.Compound([]string{"I love this product, it is great!", "This is terrible and I hate it.", "The box is brown.", ""})
	if got[0] < 0.5 || got[1] > -0.5 || math.Abs(got[2]) > 0.05 || got[3] != 0 {
		t.Errorf("compound scores %v", got)
	}
}
