using System.Globalization;

namespace InProc.Benchmarks.Harness;

/// <summary>What one configuration of the <c>cpu-per-job</c> scenario measured; one line between child and parent.</summary>
internal sealed record CpuPerJobResult(
    string Peer,
    int Workers,
    int Jobs,
    double CpuUsPerJob,
    double ProducerUsPerJob,
    double WallSeconds,
    int Gen0,
    int Gen1,
    int Gen2,
    double BytesPerJob,
    double LagP99Us,
    double IdleCpuMsPerSecond)
{
    public const string Prefix = "RESULT ";

    public string Format() => Prefix + string.Join(' ', new object[]
    {
        Peer, Workers, Jobs, CpuUsPerJob, ProducerUsPerJob, WallSeconds, Gen0, Gen1, Gen2, BytesPerJob, LagP99Us, IdleCpuMsPerSecond,
    }.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    public static CpuPerJobResult Parse(string line)
    {
        var f = line[Prefix.Length..].Split(' ');
        var i = CultureInfo.InvariantCulture;
        return new CpuPerJobResult(
            f[0], int.Parse(f[1], i), int.Parse(f[2], i), double.Parse(f[3], i), double.Parse(f[4], i), double.Parse(f[5], i),
            int.Parse(f[6], i), int.Parse(f[7], i), int.Parse(f[8], i), double.Parse(f[9], i), double.Parse(f[10], i), double.Parse(f[11], i));
    }
}
