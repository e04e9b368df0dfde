// Package docbench builds large, realistic workbooks for benchmarks and
// holds the Go side of the document benchmark (see
// scripts/bench-document.sh).
package docbench

import (
	"bufio"
	"fmt"
	"io"
)

// Size says how big a generated workbook is.
type Size struct {
	Datasources   int // each federated, with two named connections. Default: 210.
	ColumnsPerDS  int // metadata records and columns per datasource. Default: 90.
	Worksheets    int // Default: 420.
	FieldsPerWS   int // datasource dependencies per worksheet. Default: 25.
	Dashboards    int // Default: 40.
	SheetsPerDash int // Default: 6.
}

func (s Size) withDefaults() Size {
	if s.Datasources <= 0 {
		s.Datasources = 210
	}
	if s.ColumnsPerDS <= 0 {
		s.ColumnsPerDS = 90
	}
	if s.Worksheets <= 0 {
		s.Worksheets = 420
	}
	if s.FieldsPerWS <= 0 {
		s.FieldsPerWS = 25
	}
	if s.Dashboards <= 0 {
		s.Dashboards = 40
	}
	if s.SheetsPerDash <= 0 {
		s.SheetsPerDash = 6
	}
	return s
}

// Lean is a workbook shape with few columns per datasource and many small
// worksheets (about 21 MB): the peer's cost of matching columns to metadata
// records, which grows with columns times records, stays small here.
var Lean = Size{Datasources: 210, ColumnsPerDS: 8, Worksheets: 6000, FieldsPerWS: 4, Dashboards: 200, SheetsPerDash: 6}

var datatypes = []string{"string", "integer", "real", "date", "datetime", "boolean"}

// WriteWorkbook writes a workbook of the given size (about 24 MB with the
// defaults) in the shape Tableau 2024.1 writes.
func WriteWorkbook(w io.Writer, size Size) error {
	s := size.withDefaults()
	b := bufio.NewWriterSize(w, 1<<20)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("<?xml version='1.0' encoding='utf-8' ?>\n\n<!-- build 20241.24.0312.0830                               -->\n")
	p("<workbook original-version='18.1' source-build='2024.1.1 (20241.24.0312.0830)' source-platform='win' version='18.1' xmlns:user='http://www.tableausoftware.com/xml/user'>\n")
	p("  <document-format-change-manifest>\n    <_.fcp.MarkAnimation.true...MarkAnimation />\n    <_.fcp.ObjectModelEncapsulateLegacy.true...ObjectModelEncapsulateLegacy />\n    <SheetIdentifierTracking />\n  </document-format-change-manifest>\n")
	p("  <preferences>\n    <preference name='ui.encoding.shelf.height' value='24' />\n    <color-palette name='Corporate' type='regular'>\n      <color>#1f77b4</color>\n      <color>#ff7f0e</color>\n    </color-palette>\n  </preferences>\n")
	p("  <style>\n    <style-rule element='all'>\n      <format attr='font-family' value='Tableau Book' />\n    </style-rule>\n  </style>\n")
	p("  <datasources>\n")
	p("    <datasource hasconnection='false' inline='true' name='Parameters' version='18.1'>\n      <aliases enabled='yes' />\n")
	p("      <column caption='Top N' datatype='integer' name='[Parameter 1]' param-domain-type='range' role='measure' type='quantitative' value='10'>\n        <calculation class='tableau' formula='10' />\n        <range granularity='1' max='100' min='1' />\n      </column>\n    </datasource>\n")
	for d := range s.Datasources {
		p("    <datasource caption='Sales %d (test)' inline='true' name='federated.%07dabcdefghij' version='18.1'>\n", d, d)
		p("      <connection class='federated'>\n        <named-connections>\n")
		p("          <named-connection caption='test-db-%d.example.com' name='postgres.%07dpg'>\n", d%7, d)
		p("            <connection authentication='username-password' class='postgres' dbname='sales_test' odbc-native-protocol='' one-time-sql='' port='5432' server='test-db-%d.example.com' username='analyst' />\n", d%7)
		p("          </named-connection>\n")
		p("          <named-connection caption='test-sql.example.com' name='sqlserver.%07dms'>\n", d)
		p("            <connection authentication='sqlserver' class='sqlserver' dbname='Finance_Test' odbc-native-protocol='yes' one-time-sql='' schema='dbo' server='test-sql.example.com' username='svc_tableau' />\n")
		p("          </named-connection>\n        </named-connections>\n")
		p("        <_.fcp.ObjectModelEncapsulateLegacy.false...relation join='inner' type='join'>\n          <clause type='join'>\n            <expression op='='>\n              <expression op='[Orders].[Region]' />\n              <expression op='[Targets].[Region]' />\n            </expression>\n          </clause>\n")
		p("          <relation connection='postgres.%07dpg' name='Orders' table='[public].[orders_%d]' type='table' />\n", d, d)
		p("          <relation connection='sqlserver.%07dms' name='Targets' type='text'>SELECT region AS &quot;Region&quot;, target FROM dbo.targets WHERE year &gt;= 2020</relation>\n", d)
		p("        </_.fcp.ObjectModelEncapsulateLegacy.false...relation>\n")
		p("        <_.fcp.ObjectModelEncapsulateLegacy.true...relation connection='postgres.%07dpg' name='Orders' table='[public].[orders_%d]' type='table' />\n", d, d)
		p("        <cols>\n")
		for c := range s.ColumnsPerDS {
			p("          <map key='[Field %d]' value='[Orders].[field_%d]' />\n", c, c)
		}
		p("        </cols>\n        <metadata-records>\n")
		for c := range s.ColumnsPerDS {
			dt := datatypes[c%len(datatypes)]
			p("          <metadata-record class='column'>\n            <remote-name>field_%d</remote-name>\n            <remote-type>%d</remote-type>\n            <local-name>[Field %d]</local-name>\n            <parent-name>[Orders]</parent-name>\n            <remote-alias>field_%d</remote-alias>\n            <ordinal>%d</ordinal>\n            <local-type>%s</local-type>\n            <aggregation>Sum</aggregation>\n            <width>%d</width>\n            <contains-null>true</contains-null>\n            <attributes>\n              <attribute datatype='string' name='DebugRemoteType'>&quot;SQL_VARCHAR&quot;</attribute>\n            </attributes>\n            <_.fcp.ObjectModelEncapsulateLegacy.true...object-id>[orders_%d]</_.fcp.ObjectModelEncapsulateLegacy.true...object-id>\n          </metadata-record>\n", c, 129+c%5, c, c, c+1, dt, 8+c, d)
		}
		p("        </metadata-records>\n      </connection>\n      <aliases enabled='yes' />\n")
		for c := range s.ColumnsPerDS / 2 {
			dt := datatypes[c%len(datatypes)]
			role, typ := "dimension", "nominal"
			if dt == "integer" || dt == "real" {
				role, typ = "measure", "quantitative"
			}
			p("      <column caption='Field %d Caption' datatype='%s' name='[Field %d]' role='%s' type='%s' />\n", c, dt, c, role, typ)
			if c%5 == 0 {
				p("      <column caption='Calc %d' datatype='real' name='[Calculation_%d%07d]' role='measure' type='quantitative'>\n        <calculation class='tableau' formula='SUM([Field %d]) / SUM([Field %d]) * [Parameters].[Parameter 1]' />\n      </column>\n", c, c, d, c, c+1)
			}
		}
		p("      <layout dim-ordering='alphabetic' measure-ordering='alphabetic' show-structure='true' />\n")
		p("      <semantic-values>\n        <semantic-value key='[Country].[Name]' value='&quot;United States&quot;' />\n      </semantic-values>\n")
		p("    </datasource>\n")
	}
	p("  </datasources>\n  <worksheets>\n")
	for ws := range s.Worksheets {
		d := ws % s.Datasources
		p("    <worksheet name='Sheet %d'>\n      <layout-options>\n        <title>\n          <formatted-text>\n            <run fontcolor='#333333' fontname='Tableau Semibold' fontsize='14'>Sheet %d</run>\n          </formatted-text>\n        </title>\n      </layout-options>\n", ws, ws)
		p("      <table>\n        <view>\n          <datasources>\n            <datasource caption='Sales %d (test)' name='federated.%07dabcdefghij' />\n          </datasources>\n", d, d)
		p("          <datasource-dependencies datasource='federated.%07dabcdefghij'>\n", d)
		for f := range s.FieldsPerWS {
			c := (f + ws) % s.ColumnsPerDS
			dt := datatypes[c%len(datatypes)]
			p("            <column caption='Field %d Caption' datatype='%s' name='[Field %d]' role='dimension' type='nominal' />\n", c, dt, c)
			p("            <column-instance column='[Field %d]' derivation='None' name='[none:Field %d:nk]' pivot='key' type='nominal' />\n", c, c)
		}
		p("          </datasource-dependencies>\n")
		p("          <filter class='categorical' column='[federated.%07dabcdefghij].[none:Field 0:nk]'>\n            <groupfilter function='level-members' level='[none:Field 0:nk]' user:ui-enumeration='all' user:ui-marker='enumerate' />\n          </filter>\n", d)
		p("          <aggregation value='true' />\n        </view>\n")
		p("        <style>\n          <style-rule element='cell'>\n            <format attr='font-family' value='Tableau Book' />\n            <format attr='color' value='#333333' />\n          </style-rule>\n          <style-rule element='mark'>\n            <encoding attr='color' field='[federated.%07dabcdefghij].[none:Field 0:nk]' palette='Corporate' type='palette' />\n          </style-rule>\n        </style>\n", d)
		p("        <panes>\n          <pane selection-relaxation-option='selection-relaxation-allow'>\n            <view>\n              <breakdown value='auto' />\n            </view>\n            <mark class='Automatic' />\n            <encodings>\n              <color column='[federated.%07dabcdefghij].[none:Field 0:nk]' />\n            </encodings>\n          </pane>\n        </panes>\n", d)
		p("        <rows>[federated.%07dabcdefghij].[none:Field 1:nk]</rows>\n        <cols>[federated.%07dabcdefghij].[none:Field 2:nk]</cols>\n      </table>\n", d, d)
		p("      <simple-id uuid='{00000000-0000-4000-8000-%012d}' />\n    </worksheet>\n", ws)
	}
	p("  </worksheets>\n  <dashboards>\n")
	for db := range s.Dashboards {
		p("    <dashboard name='Dashboard %d'>\n      <style />\n      <size maxheight='800' maxwidth='1000' minheight='800' minwidth='1000' />\n      <zones>\n        <zone h='100000' id='1' type-v2='layout-basic' w='100000' x='0' y='0'>\n", db)
		for k := range s.SheetsPerDash {
			p("          <zone h='16000' id='%d' name='Sheet %d' w='100000' x='0' y='%d' />\n", k+2, (db*s.SheetsPerDash+k)%s.Worksheets, k*16000)
		}
		p("        </zone>\n      </zones>\n      <simple-id uuid='{10000000-0000-4000-8000-%012d}' />\n    </dashboard>\n", db)
	}
	p("  </dashboards>\n  <windows source-height='30'>\n")
	for ws := range s.Worksheets {
		p("    <window class='worksheet' name='Sheet %d'>\n      <cards>\n        <edge name='left'>\n          <strip size='160'>\n            <card type='pages' />\n            <card type='filters' />\n            <card type='marks' />\n          </strip>\n        </edge>\n      </cards>\n      <simple-id uuid='{20000000-0000-4000-8000-%012d}' />\n    </window>\n", ws, ws)
	}
	p("  </windows>\n</workbook>\n")
	return b.Flush()
}
