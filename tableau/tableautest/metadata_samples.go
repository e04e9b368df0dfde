package tableautest

import _ "embed"

var (
	//go:embed testdata/metadata_orders.tds
	metadataOrdersTDS []byte
	//go:embed testdata/metadata_sales.twb
	metadataSalesTWB []byte
)

// MetadataSampleDatasource returns a small .tds to publish as "Orders": a
// PostgreSQL table sales.public.orders (order_id, amount, discount, region)
// with calculated fields Net Amount ([amount] - [discount]) and Big Order
// ([Net Amount] > 1000). The Metadata API derives its lineage from it.
func MetadataSampleDatasource() []byte { return append([]byte(nil), metadataOrdersTDS...) }

// MetadataSampleWorkbook returns a small .twb to publish after
// [MetadataSampleDatasource]: it connects to the published "Orders"
// datasource and to a custom SQL query on the same database, and has the
// sheets "Revenue by Region" (Amount, Region), "Order Size" (Amount per
// Order, a calculation on amount and order_id; Net Amount) and "Customers",
// and the dashboard "Sales Overview" holding the first two.
func MetadataSampleWorkbook() []byte { return append([]byte(nil), metadataSalesTWB...) }
