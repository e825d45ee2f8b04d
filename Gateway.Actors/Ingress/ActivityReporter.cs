using Akka.Actor;
using VpnMasq.Actors.Peers;

namespace VpnMasq.Actors.Ingress;

/// <summary>Sends what this node's flow cache translated to each peer's owner, once per interval and on stop.</summary>
public sealed class ActivityReporter : ReceiveActor, IWithTimers
{
    private readonly ActivityRecorder _recorder;
    private readonly IActorRef _peers;

    public ActivityReporter(ActivityRecorder recorder, IActorRef peers, TimeSpan interval)
    {
        _recorder = recorder;
        _peers = peers;
        Receive<Flush>(_ => Report());
        Receive<FlushNow>(_ =>
        {
            Report();
            Sender.Tell(FlushNow.Done);
        });
        Interval = interval;
    }

    public ITimerScheduler Timers { get; set; } = null!;
    private TimeSpan Interval { get; }

    public static Props Props(ActivityRecorder recorder, IActorRef peers, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new ActivityReporter(recorder, peers, interval));

    protected override void PreStart() => Timers.StartPeriodicTimer("flush", Flush.Instance, Interval);

    /// <summary>A graceful stop reports what is left, so a leaving node's last activity is not lost.</summary>
    protected override void PostStop() => Report();

    private void Report()
    {
        foreach (var (peer, flows) in _recorder.Drain())
            _peers.Tell(new ReportActivity(peer, flows.ConvertAll(f => new FlowSeen(f.Flow, f.At))));
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }

    /// <summary>Report now and answer <see cref="Done"/> (shutdown, tests).</summary>
    public sealed class FlushNow
    {
        public static readonly FlushNow Instance = new();
        public static readonly object Done = new();
    }
}
