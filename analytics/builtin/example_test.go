package builtin_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/tableau-go/sdk/analytics"
	"github.com/tableau-go/sdk/analytics/builtin"
)

func ExampleRegister() {
	s := analytics.New(nil)
	if err := builtin.Register(s); err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	body := `{"script": "return tabpy.query('linear_forecast', _arg1, _arg2)['response']",
	          "data": {"_arg1": [1, 2, 3, 4], "_arg2": [10, 20, 30, null]}}`
	resp, err := http.Post(ts.URL+"/evaluate", "application/json", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	fmt.Println(s.Functions())
	fmt.Println(string(out))
	// Output:
	// [anova describe kmeans linear_forecast sentiment ttest]
	// [10,20,30,40]
}

func ExampleWelchTTest() {
	r, _ := builtin.WelchTTest([]float64{5.1, 4.9, 5.3, 5.0, 5.2}, []float64{6.0, 6.2, 5.8, 6.1, 6.3})
	fmt.Printf("t=%.2f p<0.001: %v\n", r.T, r.P < 0.001)
	// scipy.stats.ttest_ind(a, b, equal_var=False) gives t = -8.8007.
	// Output: t=-8.80 p<0.001: true
}

func ExampleTrainLogistic() {
	csv := "tenure,churned\n1,1\n2,1\n3,0\n4,1\n5,0\n6,0\n7,1\n8,0\n9,0\n10,0\n"
	m, err := builtin.TrainLogistic(strings.NewReader(csv), &builtin.LogisticOptions{Label: "churned"})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := m.Score([]float64{1, 10})
	fmt.Printf("new customer %.2f, long-time customer %.2f\n", p[0], p[1])
	// scikit-learn (C=inf) gives 0.8536 and 0.0479.
	// Output: new customer 0.85, long-time customer 0.05
}
