package hyper

import (
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"time"
)

// encodeParams turns Go values into parameter values in text format, which
// hyperd parses according to the type the statement gives the placeholder.
func encodeParams(args []any) ([][]byte, error) {
	out := make([][]byte, len(args))
	for i, a := range args {
		s, null, err := paramText(a)
		if err != nil {
			return nil, &ValueError{Column: "$" + strconv.Itoa(i+1), Err: ErrWrongType, Detail: err.Error()}
		}
		if !null {
			out[i] = []byte(s)
		}
	}
	return out, nil
}

func paramText(a any) (string, bool, error) {
	switch v := a.(type) {
	case nil:
		return "", true, nil
	case bool:
		return strconv.FormatBool(v), false, nil
	case int:
		return strconv.FormatInt(int64(v), 10), false, nil
	case int8:
		return strconv.FormatInt(int64(v), 10), false, nil
	case int16:
		return strconv.FormatInt(int64(v), 10), false, nil
	case int32:
		return strconv.FormatInt(int64(v), 10), false, nil
	case int64:
		return strconv.FormatInt(v, 10), false, nil
	case uint8:
		return strconv.FormatUint(uint64(v), 10), false, nil
	case uint16:
		return strconv.FormatUint(uint64(v), 10), false, nil
	case uint32:
		return strconv.FormatUint(uint64(v), 10), false, nil
	case uint64:
		return strconv.FormatUint(v, 10), false, nil
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32), false, nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), false, nil
	case string:
		return v, false, nil
	case []byte:
		if v == nil {
			return "", true, nil
		}
		return `\x` + hex.EncodeToString(v), false, nil
	case time.Time:
		return v.Format("2006-01-02 15:04:05.999999-07:00"), false, nil
	case TimeOfDay:
		return v.String(), false, nil
	case time.Duration:
		return strconv.FormatInt(v.Microseconds(), 10) + " microseconds", false, nil
	case Interval:
		return v.String(), false, nil
	case Numeric:
		return v.String(), false, nil
	case *big.Int:
		return v.String(), false, nil
	case driver.Valuer:
		dv, err := v.Value()
		if err != nil {
			return "", false, err
		}
		return paramText(dv)
	}
	return "", false, fmt.Errorf("parameter of Go type %T is not supported", a)
}

// countPlaceholders returns the highest $N in sql outside quotes and
// comments: hyperd needs the number of parameters when a statement is
// prepared.
func countPlaceholders(sql string) int {
	n := 0
	for i := 0; i < len(sql); i++ {
		switch ch := sql[i]; ch {
		case '\'', '"':
			for i++; i < len(sql) && sql[i] != ch; i++ {
			}
		case '-':
			if i+1 < len(sql) && sql[i+1] == '-' {
				for i < len(sql) && sql[i] != '\n' {
					i++
				}
			}
		case '/':
			if i+1 < len(sql) && sql[i+1] == '*' {
				for i += 2; i+1 < len(sql) && (sql[i] != '*' || sql[i+1] != '/'); i++ {
				}
				i++
			}
		case '$':
			j := i + 1
			v := 0
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' && v < 100000 {
				v = v*10 + int(sql[j]-'0')
				j++
			}
			if j > i+1 && v > n {
				n = v
			}
			i = j - 1
		}
	}
	return n
}
