using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

/// <summary>
/// Documents benchmark (issue 14): a 25 MB document uploaded then downloaded over HTTP, against copying the same file
/// on the same disk, side by side in one run (rounds interleaved, medians reported). The Api (SQLite, the disk store
/// under the work directory, beside the bench's file) is a child process; its resident set (VmRSS, and RssAnon, from
/// /proc/PID/status) is sampled every ~10 ms during each upload+download, and the growth over the value just before is
/// reported. The same run is then made with malware scanning on (<c>scan</c>: the disk store, every upload streamed to a
/// throwaway clamd on loopback as it arrives, its verdict awaited before the answer; issue 16: the 25 MB figures must
/// still hold), and against a throwaway Azurite with the Azure blob store (reported beside, no target).
/// </summary>
internal static class DocumentsBench
{
    private const int BufferSize = 81920; // the service's (DiskDocumentStore, DocumentIntake)
    private const string Role = "information-officer";

    /// <summary>Where a download lands, allocated once (the bench's memory, not the Api's).</summary>
    private static byte[] Sink = [];

    internal sealed record Round(double CopyMs, double FileCopyMs, double UploadMs, double DownloadMs, double RssGrowthMb, double AnonGrowthMb, double RssBeforeMb, double RssPeakMb);

    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var rounds = int.Parse(Opt("--rounds") ?? "5", CultureInfo.InvariantCulture);
        var bytes = long.Parse(Opt("--bytes") ?? "26214400", CultureInfo.InvariantCulture);
        var stores = (Opt("--stores") ?? "disk,scan,floor,azure").Split(',');
        var apiDll = Path.GetFullPath(Opt("--api") ?? BenchPaths.ReleaseApiDll() ?? throw new ArgumentException("build -c Release first or pass --api"));
        await using var host = new BenchHost("sqlite", apiDll);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            host.Cancel();
        };
        Process? azurite = null;
        Process? clamd = null;
        Console.WriteLine($"CaseTransfer documents bench: {bytes:N0}-byte document, {rounds} rounds per store ({string.Join(", ", stores)}), SQLite");
        Console.WriteLine($"machine: {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; work dir {host.WorkDir}; load {TransferBench.Load()}");
        try
        {
            await host.PrepareDatabaseAsync();
            var db = new BenchDatabase("sqlite", host.ConnectionString);
            var (crn, holder) = await FirstCaseAsync(db);
            var documentsDir = Path.Combine(host.WorkDir, "documents");
            var file = Path.Combine(host.WorkDir, "bench-25mb.pdf");
            var sha = await MakeFileAsync(file, bytes);
            Console.WriteLine($"file {file}: {bytes:N0} bytes (%PDF-1.7 header, random bytes after), SHA-256 {sha}; the disk store in {documentsDir} (the same directory tree, so the same disk)");
            Console.WriteLine($"case {crn}, held by {holder}; caller {holder} '{Role}'");
            Console.WriteLine("copy = a fresh FileStream copy of the file beside it (source and target FileStreams with the service's 80 KB buffer, CopyToAsync, then Flush(true) to disk); File.Copy = plain File.Copy (no flush), reported beside");
            Console.WriteLine("service = POST /api/v1/cases/{crn}/documents streaming the file (StreamContent over a FileStream, Content-Length set) + GET /api/v1/documents/{id}/download read to the end and its SHA-256 checked");

            var bytesInMemory = await File.ReadAllBytesAsync(file);
            SHA256.HashData(bytesInMemory);
            var hashWatch = Stopwatch.StartNew();
            SHA256.HashData(bytesInMemory);
            Console.WriteLine($"for scale: one SHA-256 of the 25 MB in memory on this machine takes {hashWatch.Elapsed.TotalMilliseconds:N0} ms ({Mbs(bytes, hashWatch.Elapsed.TotalMilliseconds):N0} MB/s); the copy computes none, the service at least one each way");
            bytesInMemory = null;
            var results = new Dictionary<string, List<Round>>();
            foreach (var store in stores)
            {
                host.ExtraSettings["Documents:Store"] = store == "azure" ? "AzureBlob" : "Disk";
                host.ExtraSettings["Documents:Directory"] = documentsDir;
                host.ExtraSettings["Scanning:Enabled"] = store == "scan" ? "true" : "false";
                if (store == "scan")
                {
                    int clamdPort;
                    (clamd, clamdPort) = await StartClamdAsync(host.WorkDir);
                    host.ExtraSettings["Scanning:ClamdHost"] = "127.0.0.1";
                    host.ExtraSettings["Scanning:ClamdPort"] = clamdPort.ToString(CultureInfo.InvariantCulture);
                }
                if (store == "azure")
                {
                    (azurite, var connection) = await StartAzuriteAsync(host.WorkDir);
                    host.ExtraSettings["Documents:AzureBlob:ConnectionString"] = connection;
                    host.ExtraSettings["Documents:AzureBlob:Container"] = "bench-documents";
                }

                await host.StopApiAsync();
                await using var floor = store == "floor" ? await StartFloorAsync(Path.Combine(host.WorkDir, "floor")) : null;
                var url = floor is not null ? floor.Urls.First() + "/" : await host.StartApiAsync(auditEntries: true, consultations: true);
                using var http = host.Client(url, holder, "bench-io", Role);
                http.Timeout = TimeSpan.FromMinutes(5);
                var pid = floor is not null ? Environment.ProcessId : host.ApiProcessId ?? throw new InvalidOperationException("the Api is not running");

                // Warm-up: a small document up and down, then one full-size one (not counted).
                var small = Path.Combine(host.WorkDir, "warm.pdf");
                var smallSha = await MakeFileAsync(small, 64 * 1024);
                await UploadDownloadAsync(http, crn, small, smallSha, pid);
                await UploadDownloadAsync(http, crn, file, sha, pid);
                await CopyAsync(file, Path.Combine(host.WorkDir, "warm-copy.pdf"));

                var list = results[store] = [];
                for (var round = 1; round <= rounds; round++)
                {
                    // Alternate which goes first, so neither always follows the other's writeback.
                    double copyMs = 0, fileCopyMs = 0;
                    (double Up, double Down, double Rss, double Anon, double Before, double Peak) service = default;
                    async Task Copies()
                    {
                        copyMs = await CopyAsync(file, Path.Combine(host.WorkDir, $"copy-{store}-{round}.pdf"));
                        fileCopyMs = FileCopy(file, Path.Combine(host.WorkDir, $"filecopy-{store}-{round}.pdf"));
                    }

                    if (round % 2 == 1)
                    {
                        await Copies();
                        service = await UploadDownloadAsync(http, crn, file, sha, pid);
                    }
                    else
                    {
                        service = await UploadDownloadAsync(http, crn, file, sha, pid);
                        await Copies();
                    }

                    var r = new Round(copyMs, fileCopyMs, service.Up, service.Down, service.Rss, service.Anon, service.Before, service.Peak);
                    list.Add(r);
                    Console.WriteLine($"[{store}] round {round}: copy {r.CopyMs:N0} ms ({Mbs(bytes, r.CopyMs):N0} MB/s), File.Copy {r.FileCopyMs:N0} ms; upload {r.UploadMs:N0} ms + download {r.DownloadMs:N0} ms = {r.UploadMs + r.DownloadMs:N0} ms ({Mbs(bytes, r.UploadMs + r.DownloadMs):N0} MB/s); " +
                        $"Api VmRSS {r.RssBeforeMb:N1} -> peak {r.RssPeakMb:N1} MB (+{r.RssGrowthMb:N1}), RssAnon +{r.AnonGrowthMb:N1} MB; load {TransferBench.Load()}");
                }

                Console.WriteLine($"[{store}] Api after the rounds: {Status(pid, "VmRSS"):N1} MB resident, {Status(pid, "VmHWM"):N1} MB peak since start");
                await host.StopApiAsync();
            }

            Console.WriteLine();
            Console.WriteLine($"=== Results: documents, {bytes:N0} bytes, {rounds} rounds per store, medians, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ===");
            Console.WriteLine($"{"store",-6} {"copy MB/s",10} {"File.Copy",10} {"up+down",9} {"upload",8} {"download",9} {"ratio",7} {"VmRSS +MB",10} {"max",6} {"RssAnon +MB",12}");
            foreach (var (store, list) in results)
            {
                double M(Func<Round, double> f) => Median(list.Select(f));
                var ratio = Median(list.Select(r => r.CopyMs / (r.UploadMs + r.DownloadMs)));
                Console.WriteLine($"{store,-6} {Mbs(bytes, M(r => r.CopyMs)),10:N0} {Mbs(bytes, M(r => r.FileCopyMs)),10:N0} {Mbs(bytes, M(r => r.UploadMs + r.DownloadMs)),9:N0} {Mbs(bytes, M(r => r.UploadMs)),8:N0} {Mbs(bytes, M(r => r.DownloadMs)),9:N0} {100 * ratio,6:N1}% {M(r => r.RssGrowthMb),10:N1} {list.Max(r => r.RssGrowthMb),6:N1} {M(r => r.AnonGrowthMb),12:N1}");
            }

            if (results.TryGetValue("disk", out var disk))
            {
                var ratio = Median(disk.Select(r => r.CopyMs / (r.UploadMs + r.DownloadMs)));
                var growth = Median(disk.Select(r => r.RssGrowthMb));
                var worst = disk.Max(r => r.RssGrowthMb);
                Console.WriteLine($"target (disk store): throughput >= 50% of the copy: {100 * ratio:N1}% (median of rounds' ratios) -> {(ratio >= 0.5 ? "met" : "MISSED")}");
                Console.WriteLine($"target (disk store): working set grows <= 10 MB during upload+download: median +{growth:N1} MB, worst round +{worst:N1} MB -> {(worst <= 10 ? "met" : growth <= 10 ? "met at the median, MISSED in a round" : "MISSED")}");
            }

            if (results.TryGetValue("scan", out var scan))
            {
                var ratio = Median(scan.Select(r => r.CopyMs / (r.UploadMs + r.DownloadMs)));
                var growth = Median(scan.Select(r => r.RssGrowthMb));
                var worst = scan.Max(r => r.RssGrowthMb);
                Console.WriteLine($"scanning on (disk store + clamd): throughput {100 * ratio:N1}% of the copy (median of rounds' ratios){(disk is null ? "" : $", against {100 * Median(disk.Select(r => r.CopyMs / (r.UploadMs + r.DownloadMs))):N1}% with scanning off")}; upload alone median {Mbs(bytes, Median(scan.Select(r => r.UploadMs))):N0} MB/s{(disk is null ? "" : $" against {Mbs(bytes, Median(disk.Select(r => r.UploadMs))):N0} MB/s off")}");
                Console.WriteLine($"target (scanning on): working set grows <= 10 MB during upload+download: median +{growth:N1} MB, worst round +{worst:N1} MB -> {(worst <= 10 ? "met" : growth <= 10 ? "met at the median, MISSED in a round" : "MISSED")}");
            }

            return 0;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"bench failed: {e}");
            return 1;
        }
        finally
        {
            if (azurite is { HasExited: false })
            {
                azurite.Kill(entireProcessTree: true);
                await azurite.WaitForExitAsync();
                Console.WriteLine("Azurite stopped.");
            }

            azurite?.Dispose();
            if (clamd is { HasExited: false })
            {
                clamd.Kill(entireProcessTree: true);
                await clamd.WaitForExitAsync();
                Console.WriteLine("clamd stopped.");
            }

            clamd?.Dispose();
        }
    }

    /// <summary>
    /// A throwaway clamd on a free loopback port, configured as the README says (StreamMaxLength 30M, above the 25 MB
    /// limit), with a database of one signature built here from the EICAR test file (<c>sigtool --md5</c>: no download).
    /// A production database (hundreds of thousands of signatures) makes clamd's own scan slower; the service's memory
    /// does not depend on it (clamd is another process).
    /// </summary>
    private static async Task<(Process Process, int Port)> StartClamdAsync(string workDir)
    {
        var dir = Path.Combine(workDir, "clamd");
        var db = Path.Combine(dir, "db");
        Directory.CreateDirectory(db);
        await File.WriteAllTextAsync(Path.Combine(dir, "eicar.com"), @"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
        var sigtool = new ProcessStartInfo("sigtool", ["--md5", "eicar.com"]) { WorkingDirectory = dir, RedirectStandardOutput = true, UseShellExecute = false };
        using (var run = Process.Start(sigtool)!)
        {
            await File.WriteAllTextAsync(Path.Combine(db, "test.hdb"), await run.StandardOutput.ReadToEndAsync());
            await run.WaitForExitAsync();
        }

        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var conf = Path.Combine(dir, "clamd.conf");
        await File.WriteAllTextAsync(conf, $"Foreground yes\nTCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {db}\nStreamMaxLength 30M\nLogFile {Path.Combine(dir, "clamd.log")}\nPidFile {Path.Combine(dir, "clamd.pid")}\n");
        var exe = File.Exists("/usr/sbin/clamd") ? "/usr/sbin/clamd" : "clamd";
        var psi = new ProcessStartInfo(exe, ["--config-file", conf]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var watch = Stopwatch.StartNew(); watch.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(100))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"clamd exited with {process.ExitCode}; see {Path.Combine(dir, "clamd.log")}");
            }

            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                var stream = client.GetStream();
                await stream.WriteAsync("zPING\0"u8.ToArray());
                var buffer = new byte[16];
                var n = await stream.ReadAsync(buffer);
                if (System.Text.Encoding.ASCII.GetString(buffer, 0, n).TrimEnd('\0') == "PONG")
                {
                    Console.WriteLine($"clamd (pid {process.Id}, {exe}) on 127.0.0.1:{port}, one-signature database in {db}, StreamMaxLength 30M");
                    return (process, port);
                }
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
            }
        }

        throw new TimeoutException("clamd did not answer PING within 60 s");
    }

    private static double Mbs(long bytes, double ms) => bytes / 1048576.0 / (ms / 1000.0);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task<(string Crn, string Holder)> FirstCaseAsync(BenchDatabase db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Crn", "HolderOrganisationCode" FROM "Cases" ORDER BY "Crn" LIMIT 1""";
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetString(1)) : throw new InvalidOperationException("no case seeded");
    }

    private static async Task<string> MakeFileAsync(string path, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize))
        {
            var header = "%PDF-1.7\n"u8.ToArray();
            await file.WriteAsync(header);
            hash.AppendData(header);
            var buffer = new byte[1 << 20];
            for (var left = length - header.Length; left > 0; left -= buffer.Length)
            {
                var n = (int)Math.Min(left, buffer.Length);
                RandomNumberGenerator.Fill(buffer.AsSpan(0, n));
                await file.WriteAsync(buffer.AsMemory(0, n));
                hash.AppendData(buffer, 0, n);
            }

            file.Flush(flushToDisk: true);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The copy the service is compared with: what the disk store does with an upload's bytes, minus HTTP.</summary>
    private static async Task<double> CopyAsync(string source, string target)
    {
        var watch = Stopwatch.StartNew();
        await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan))
        await using (var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
        {
            await from.CopyToAsync(to, BufferSize);
            to.Flush(flushToDisk: true);
        }

        var ms = watch.Elapsed.TotalMilliseconds;
        File.Delete(target);
        return ms;
    }

    private static double FileCopy(string source, string target)
    {
        var watch = Stopwatch.StartNew();
        File.Copy(source, target);
        var ms = watch.Elapsed.TotalMilliseconds;
        File.Delete(target);
        return ms;
    }

    /// <summary>
    /// Uploads the file (streamed from disk) and downloads it back (read to the end), sampling the Api's resident set
    /// throughout; checks the SHA-256 the service records and the one of the bytes it sends back.
    /// </summary>
    private static async Task<(double Up, double Down, double Rss, double Anon, double Before, double Peak)> UploadDownloadAsync(
        HttpClient http, string crn, string path, string sha, int pid)
    {
        var sink = Sink.Length >= new FileInfo(path).Length + 1 ? Sink : Sink = new byte[new FileInfo(path).Length + 1];
        var before = Status(pid, "VmRSS");
        var anonBefore = Status(pid, "RssAnon");
        double peak = before, anonPeak = anonBefore;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Status(pid, "VmRSS"));
                anonPeak = Math.Max(anonPeak, Status(pid, "RssAnon"));
                Thread.Sleep(10);
            }
        }) { IsBackground = true, Name = "rss-sampler" };
        sampler.Start();
        double up, down;
        try
        {
            var watch = Stopwatch.StartNew();
            string id;
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                using var content = new StreamContent(file, BufferSize);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                content.Headers.ContentLength = file.Length;
                using var response = await http.PostAsync($"api/v1/cases/{crn}/documents?fileName={Path.GetFileName(path)}&title=bench", content);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                var view = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
                id = view["id"]!.GetValue<string>();
                if (view["scanStatus"]?.GetValue<string>() is "Pending" or "Infected")
                {
                    throw new InvalidOperationException($"the upload was not scanned clean: scanStatus {view["scanStatus"]}");
                }
                var recorded = view["sha256"]!.GetValue<string>();
                if (!string.Equals(recorded, sha, StringComparison.OrdinalIgnoreCase) && recorded != Convert.ToBase64String(Convert.FromHexString(sha)))
                {
                    throw new InvalidOperationException($"the service recorded SHA-256 {recorded}, the file's is {sha}");
                }
            }

            up = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            using (var response = await http.GetAsync($"api/v1/documents/{id}/download", HttpCompletionOption.ResponseHeadersRead))
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"download answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }

                // Read to the end into memory the bench set aside; hashed after the clock stops, so the figure is
                // the service's, not the bench's own SHA-256 on the same two cores.
                await using var body = await response.Content.ReadAsStreamAsync();
                var received = 0;
                int n;
                while ((n = await body.ReadAsync(sink.AsMemory(received, Math.Min(BufferSize, sink.Length - received)))) > 0)
                {
                    received += n;
                }

                down = watch.Elapsed.TotalMilliseconds;
                var got = Convert.ToHexStringLower(SHA256.HashData(sink.AsSpan(0, received)));
                if (got != sha)
                {
                    throw new InvalidOperationException($"downloaded bytes hash to {got}, uploaded {sha}");
                }
            }
        }
        finally
        {
            stop.Cancel();
            sampler.Join();
        }

        return (up, down, peak - before, anonPeak - anonBefore, before, peak);
    }

    /// <summary>A line of /proc/PID/status, in MB.</summary>
    private static double Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>
    /// The floor HTTP sets under any service: Kestrel in this process on a loopback port, an upload's body hashed and
    /// written as the disk store writes it (80 KB FileStream, Flush(true)), a download streamed from the file with no
    /// check before it. No database, no audit, no authentication, no type sniffing. Its memory is the bench's own.
    /// </summary>
    private static async Task<WebApplication> StartFloorAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/api/v1/cases/{crn}/documents", async (HttpContext context) =>
        {
            var id = Guid.NewGuid().ToString("N");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(Path.Combine(dir, id), FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int n;
                while ((n = await context.Request.Body.ReadAsync(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    await file.WriteAsync(buffer.AsMemory(0, n));
                }

                file.Flush(flushToDisk: true);
            }

            return Results.Json(new { id, sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()) }, statusCode: 201);
        });
        app.MapGet("/api/v1/documents/{id}/download", (string id) => Results.Stream(
            new FileStream(Path.Combine(dir, id), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan),
            "application/pdf", id + ".pdf"));
        await app.StartAsync();
        Console.WriteLine($"floor server (Kestrel in the bench process, no database) on {app.Urls.First()}");
        return app;
    }

    /// <summary>A throwaway Azurite blob service on a free loopback port, its data in the work directory.</summary>
    private static async Task<(Process Process, string ConnectionString)> StartAzuriteAsync(string workDir)
    {
        var exe = new[] { Environment.GetEnvironmentVariable("AZURITE_BIN") }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "azurite-blob")))
            .Append("/tmp/azurite/node_modules/.bin/azurite-blob")
            .FirstOrDefault(p => p is not null && File.Exists(p))
            ?? throw new InvalidOperationException("azurite-blob not found (npm install -g azurite@3.37.0)");
        var port = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        port.Start();
        var p = ((IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();
        var dir = Path.Combine(workDir, "azurite");
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--silent", "--location", dir, "--blobHost", "127.0.0.1", "--blobPort", p.ToString(CultureInfo.InvariantCulture), "--skipApiVersionCheck", "--loose" })
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"azurite: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var watch = Stopwatch.StartNew(); watch.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(200))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {process.ExitCode}");
            }

            try
            {
                using var r = await probe.GetAsync($"http://127.0.0.1:{p}/devstoreaccount1?comp=list");
                Console.WriteLine($"Azurite (pid {process.Id}, {exe}) on 127.0.0.1:{p}, data in {dir}");
                return (process, $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{p}/devstoreaccount1;");
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
        }

        throw new TimeoutException("Azurite did not answer within 60 s");
    }
}
