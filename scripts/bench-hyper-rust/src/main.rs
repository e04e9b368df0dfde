// Insert benchmark with Tableau's Rust client (hyperdb-api): the same tables
// and rows as tableau-go's hyper/bench_test.go (BenchmarkInsertMeasurements,
// BenchmarkInsertWide), timed the same way: hyperd is started and the table
// created first; the clock runs from creating the Inserter to execute().
//
// Usage: HYPERD_PATH=... bench-hyper-rust measurements|wide ROWS
// Prints: case rows seconds rows/s and the process's CPU time per row.
use hyperdb_api::{
    Catalog, Connection, CreateMode, Date, HyperProcess, Inserter, Parameters, SqlType,
    TableDefinition, Timestamp,
};

fn main() -> hyperdb_api::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 || (args[1] != "measurements" && args[1] != "wide") {
        eprintln!("usage: bench-hyper-rust measurements|wide ROWS");
        std::process::exit(2);
    }
    let table = args[1].as_str();
    let n: i64 = args[2].parse().expect("ROWS must be an integer");
    let dir = std::env::temp_dir().join(format!("bench-hyper-rust-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut params = Parameters::new();
    params.set("log_dir", dir.to_str().unwrap());
    let hyper = HyperProcess::new(None, Some(&params))?;
    let path = dir.join("bench.hyper");
    let conn = Connection::new(&hyper, path.to_str().unwrap(), CreateMode::CreateAndReplace)?;
    let catalog = Catalog::new(&conn);
    let names: Vec<String> = (0..64).map(|i| format!("customer-{:03}", i)).collect();
    let start;
    if table == "measurements" {
        let def = TableDefinition::new("measurements")
            .add_required_column("id", SqlType::int())
            .add_nullable_column("sensor_id", SqlType::int())
            .add_nullable_column("value", SqlType::double())
            .add_nullable_column("timestamp", SqlType::big_int());
        catalog.create_table(&def)?;
        start = std::time::Instant::now();
        let mut ins = Inserter::new(&conn, &def)?;
        for i in 0..n {
            ins.add_i32(i as i32)?;
            ins.add_i32((i % 1000) as i32)?;
            ins.add_f64(i as f64 * 0.5)?;
            ins.add_i64(1_700_000_000 + i)?;
            ins.end_row()?;
        }
        ins.execute()?;
    } else {
        let def = TableDefinition::new("wide")
            .add_required_column("id", SqlType::big_int())
            .add_nullable_column("name", SqlType::text())
            .add_nullable_column("day", SqlType::date())
            .add_nullable_column("at", SqlType::timestamp())
            .add_nullable_column("amount", SqlType::double());
        catalog.create_table(&def)?;
        start = std::time::Instant::now();
        let mut ins = Inserter::new(&conn, &def)?;
        const BASE_DAYS: i64 = 8766; // 2024-01-01 since 2000-01-01
        for i in 0..n {
            ins.add_i64(i)?;
            if i % 10 == 0 {
                ins.add_null()?;
            } else {
                ins.add_str(&names[(i % 64) as usize])?;
            }
            ins.add_date(Date::from_days((BASE_DAYS + i / 86400) as i32))?;
            ins.add_timestamp(Timestamp::from_microseconds(
                (BASE_DAYS * 86400 + i) * 1_000_000,
            ))?;
            ins.add_f64(i as f64)?;
            ins.end_row()?;
        }
        ins.execute()?;
    }
    let el = start.elapsed().as_secs_f64();
    let got: i64 = conn
        .execute_scalar_query::<i64>(&format!("SELECT COUNT(*) FROM {}", table))?
        .unwrap_or(0);
    assert_eq!(got, n, "row count");
    // RUSAGE_SELF: this process only (hyperd is a separate process).
    let mut ru: Rusage = unsafe { std::mem::zeroed() };
    unsafe { getrusage(0, &mut ru) };
    let cpu = ru.ru_utime.tv_sec as f64
        + ru.ru_utime.tv_usec as f64 / 1e6
        + ru.ru_stime.tv_sec as f64
        + ru.ru_stime.tv_usec as f64 / 1e6;
    println!(
        "rust-hyperdb-api-insert-{} {} {:.3} {:.0} process-cpu-ns/row={:.1}",
        table,
        n,
        el,
        n as f64 / el,
        cpu / n as f64 * 1e9
    );
    drop(conn);
    drop(hyper);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

// struct rusage of Linux x86_64 (getrusage(2)), to avoid a dependency for
// one call.
#[repr(C)]
struct Timeval {
    tv_sec: i64,
    tv_usec: i64,
}
#[repr(C)]
struct Rusage {
    ru_utime: Timeval,
    ru_stime: Timeval,
    _rest: [i64; 14],
}
unsafe extern "C" {
    fn getrusage(who: i32, usage: *mut Rusage) -> i32;
}
