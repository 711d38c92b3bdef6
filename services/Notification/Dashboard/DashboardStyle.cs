namespace DealRisk.Notification.Dashboard;

internal static class DashboardStyle
{
    public const string Css = """
        :root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--brand:#2f6fb0;--red:#ba2525;--orange:#c65d21;--green:#1f8a4c}
        *{box-sizing:border-box}body{margin:0;font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg);font-size:14px}
        .topbar{display:flex;justify-content:space-between;align-items:center;padding:14px 28px;background:#102a43;color:#fff}
        .brand{font-weight:700;font-size:18px;letter-spacing:.2px}.brand .sub{font-weight:400;opacity:.7;margin-left:6px}.logo{color:#7cc4fa}
        .who{display:flex;gap:10px;align-items:center;opacity:.9}.who form{margin:0}.who a.nav{color:#fff}
        button.link{background:none;border:1px solid rgba(255,255,255,.4);color:#fff;border-radius:6px;padding:4px 10px;cursor:pointer}
        main{max-width:1280px;margin:0 auto;padding:20px 28px 40px}
        .banner{background:#fde8e8;border:1px solid #f29b9b;color:#8a1c1c;border-radius:8px;padding:12px 16px;margin-bottom:18px}
        .cards{display:grid;grid-template-columns:repeat(4,1fr);gap:16px;margin-bottom:18px}
        .card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 18px;box-shadow:0 1px 2px rgba(16,42,67,.05)}
        .card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.6px}
        .card .value{font-size:28px;font-weight:700;margin:6px 0 4px}#acv-at-risk .value{color:var(--red)}
        .delta{color:var(--muted);font-size:13px}.delta.up{color:var(--red)}.delta.down{color:var(--green)}.delta.warn{color:var(--orange)}
        .panel{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin-bottom:18px}
        .panel h2{font-size:15px;margin:0 0 10px}.panel-head{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:10px}
        .filters{display:flex;gap:8px;align-items:center}.filters select{padding:6px 8px;border:1px solid var(--line);border-radius:6px;background:#fff}
        .count{color:var(--muted);margin-left:6px}
        #trend{width:100%;height:180px}.axis{stroke:var(--line)}.tick{fill:var(--muted);font-size:11px}
        .line{fill:none;stroke:var(--brand);stroke-width:2.5}.area{fill:rgba(47,111,176,.12)}.dot{fill:var(--brand)}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:9px 8px;border-bottom:1px solid var(--line);vertical-align:top}
        th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.5px;user-select:none}th[data-sort]{cursor:pointer}
        th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}td.n,th.n{text-align:right;white-space:nowrap}
        .deal .name{font-weight:600}.muted{color:var(--muted);font-size:12px}.flag{color:var(--orange)}
        .pill{display:inline-block;border-radius:999px;padding:2px 8px;font-size:12px;font-weight:600}
        .pill.critical{background:#fde8e8;color:var(--red)}.pill.high{background:#fff3e6;color:var(--orange)}
        .reasons div{margin-bottom:2px}.action{font-weight:500;color:#243b53}.empty{color:var(--muted)}
        body.signin{display:flex;align-items:center;justify-content:center;min-height:100vh;background:#102a43}
        .signin-card{background:#fff;border-radius:12px;padding:28px 32px;width:360px;display:flex;flex-direction:column;gap:12px}
        .signin-card h1{font-size:16px;font-weight:500;color:var(--muted);margin:0 0 6px}.signin-card .brand{color:#102a43}
        .signin-card label{display:flex;flex-direction:column;gap:4px;font-size:13px;color:var(--muted)}
        .signin-card input{padding:9px 10px;border:1px solid var(--line);border-radius:6px;font-size:14px}
        .signin-card button{background:var(--brand);color:#fff;border:0;border-radius:6px;padding:10px;font-size:14px;cursor:pointer}
        .error{color:var(--red);margin:0}
        """;
}
