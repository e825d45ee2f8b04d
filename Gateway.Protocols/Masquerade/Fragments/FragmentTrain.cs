using System.Buffers.Binary;
using VpnMasq.Protocols.Checksums;
using VpnMasq.Protocols.Ipv4;

namespace VpnMasq.Protocols.Masquerade.Fragments;

/// <summary>
/// The fragments of one datagram held so far: disjoint payload pieces sorted by offset, so a
/// duplicate or an overlap stores only the bytes not held yet, after they were checked to agree.
/// </summary>
internal sealed class FragmentTrain
{
    private const int MaxDatagram = ushort.MaxValue;
    private readonly List<Piece> _pieces = [];
    private byte[]? _firstPrefix;
    private int _firstNetworkOffset;
    private int _end = -1;

    public FragmentTrain(FragmentKey key, TimeSpan started)
    {
        Key = key;
        Started = started;
    }

    public FragmentKey Key { get; }
    public TimeSpan Started { get; }
    public LinkedListNode<FragmentTrain>? AgeNode { get; set; }

    /// <summary>Frames added, duplicates included.</summary>
    public int FragmentCount { get; private set; }

    /// <summary>Payload bytes held (each byte once).</summary>
    public int HeldBytes { get; private set; }

    public bool IsComplete => _firstPrefix is not null && _end >= 0 && HeldBytes == _end;

    private int KnownEnd => _end >= 0 ? _end : _pieces.Count > 0 ? _pieces[^1].End : 0;

    public ExpiredTrain Describe() =>
        new(Key.Source, Key.Destination, Key.Protocol, Key.Identification, FragmentCount);

    /// <summary>
    /// Checks a fragment against what is held. <paramref name="headerLength"/> is its IP header
    /// length, which becomes the datagram's when <paramref name="offset"/> is 0.
    /// </summary>
    public FragmentError Check(int offset, ReadOnlySpan<byte> payload, bool last, int headerLength, out int newBytes)
    {
        newBytes = 0;
        int end = offset + payload.Length;
        if (_end >= 0 && (end > _end || (last && end != _end)))
            return FragmentError.InconsistentLength;
        if (last && _end < 0 && KnownEnd > end)
            return FragmentError.InconsistentLength;
        int datagramHeader = offset == 0 ? headerLength : _firstPrefix is null ? Ipv4Header.MinLength : _firstPrefix.Length - _firstNetworkOffset;
        if (datagramHeader + Math.Max(end, KnownEnd) > MaxDatagram)
            return FragmentError.TooLong;

        newBytes = payload.Length;
        for (int i = FirstEndingAfter(offset); i < _pieces.Count && _pieces[i].Offset < end; i++)
        {
            var piece = _pieces[i];
            int from = Math.Max(offset, piece.Offset);
            int to = Math.Min(end, piece.End);
            if (!payload[(from - offset)..(to - offset)].SequenceEqual(piece.Data.AsSpan(from - piece.Offset, to - from)))
                return FragmentError.Overlap;
            newBytes -= to - from;
        }

        return FragmentError.None;
    }

    /// <summary>Adds a fragment that passed <see cref="Check"/>; <paramref name="prefix"/> is its link + IP header.</summary>
    public void Add(int offset, ReadOnlySpan<byte> payload, bool last, ReadOnlySpan<byte> prefix, int networkOffset)
    {
        FragmentCount++;
        int end = offset + payload.Length;
        if (last)
            _end = end;
        if (offset == 0 && _firstPrefix is null)
        {
            _firstPrefix = prefix.ToArray();
            _firstNetworkOffset = networkOffset;
        }

        // Fill the gaps between held pieces that this fragment covers.
        int cursor = offset;
        int i = FirstEndingAfter(offset);
        while (cursor < end)
        {
            int gapEnd = i < _pieces.Count ? Math.Min(_pieces[i].Offset, end) : end;
            if (gapEnd > cursor)
            {
                _pieces.Insert(i, new Piece(cursor, payload[(cursor - offset)..(gapEnd - offset)].ToArray()));
                HeldBytes += gapEnd - cursor;
                i++;
            }

            if (i >= _pieces.Count || _pieces[i].Offset >= end)
                break;
            cursor = _pieces[i].End;
            i++;
        }
    }

    /// <summary>
    /// The whole frame: the first fragment's link header and IP header (MF cleared, offset 0,
    /// Total Length and checksum fixed) followed by the payload. Only when <see cref="IsComplete"/>.
    /// </summary>
    public byte[] Assemble()
    {
        var prefix = _firstPrefix!;
        var frame = new byte[prefix.Length + _end];
        prefix.CopyTo(frame, 0);
        foreach (var piece in _pieces)
            piece.Data.CopyTo(frame, prefix.Length + piece.Offset);

        var header = frame.AsSpan(_firstNetworkOffset, prefix.Length - _firstNetworkOffset);
        BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4Header.TotalLengthOffset..], (ushort)(header.Length + _end));
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(header[Ipv4Header.FragmentOffset..]);
        BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4Header.FragmentOffset..], FragmentFlags.Compose(flags, false, 0));
        BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4Header.ChecksumOffset..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(header[Ipv4Header.ChecksumOffset..], InternetChecksum.Compute(header));
        return frame;
    }

    /// <summary>Index of the first piece ending after <paramref name="offset"/> (pieces are disjoint, so ends are sorted).</summary>
    private int FirstEndingAfter(int offset)
    {
        int low = 0;
        int high = _pieces.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_pieces[middle].End > offset)
                high = middle;
            else
                low = middle + 1;
        }

        return low;
    }

    private readonly record struct Piece(int Offset, byte[] Data)
    {
        public int End => Offset + Data.Length;
    }
}
