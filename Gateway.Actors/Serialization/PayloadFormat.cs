namespace VpnMasq.Actors.Serialization;

/// <summary>
/// How one type is written: its manifest, the layout version it writes, and the writer/reader pair.
/// To change a layout, raise <see cref="Version"/> and teach the reader to branch on
/// <see cref="PayloadReader.Version"/>: old journal rows keep their old version byte forever.
/// </summary>
internal abstract class PayloadFormat(string manifest, Type type, byte version)
{
    public string Manifest { get; } = manifest;

    public Type Type { get; } = type;

    public byte Version { get; } = version;

    public abstract void Write(PayloadWriter writer, object value);

    public abstract object Read(PayloadReader reader);
}

internal sealed class PayloadFormat<T>(string manifest, Action<PayloadWriter, T> write, Func<PayloadReader, T> read, byte version = 1)
    : PayloadFormat(manifest, typeof(T), version)
    where T : notnull
{
    public override void Write(PayloadWriter writer, object value) => write(writer, (T)value);

    public override object Read(PayloadReader reader) => read(reader);
}
