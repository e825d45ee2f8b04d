using System.Buffers.Binary;
using VpnMasq.Protocols.Link;

namespace VpnMasq.Protocols.Tests.Captures;

internal static partial class CaptureFile
{
    /// <summary>pcapng (draft-ietf-opsawg-pcapng): a file is a sequence of sections, each an SHB then blocks.</summary>
    private static class PcapNg
    {
        private const uint InterfaceDescriptionBlock = 1;
        private const uint SimplePacketBlock = 3;
        private const uint EnhancedPacketBlock = 6;
        private const uint ByteOrderMagic = 0x1A2B3C4D;
        private const ushort OptionEnd = 0;
        private const ushort OptionTsResol = 9;
        private const ushort OptionTsOffset = 14;
        private const int BlockOverhead = 12;

        private readonly record struct Interface(LinkType LinkType, uint SnapLength, double TickSeconds, long OffsetSeconds);

        public static List<CaptureRecord> Parse(ReadOnlySpan<byte> file)
        {
            var records = new List<CaptureRecord>();
            var interfaces = new List<Interface>();
            var reader = default(Endian);
            int offset = 0;
            while (offset < file.Length)
            {
                if (file.Length - offset < BlockOverhead)
                    throw Corrupt(offset, $"block header is cut off ({file.Length - offset} bytes left)");
                var rest = file[offset..];
                if (BinaryPrimitives.ReadUInt32LittleEndian(rest) == SectionHeaderBlock)
                {
                    // A new section may change byte order and starts a fresh interface list.
                    reader = SectionByteOrder(rest, offset);
                    interfaces.Clear();
                }

                uint type = reader.U32(rest);
                uint totalLength = reader.U32(rest[4..]);
                if (totalLength < BlockOverhead || totalLength % 4 != 0 || totalLength > (uint)rest.Length)
                {
                    throw Corrupt(offset, $"block type 0x{type:X} has length {totalLength}, " +
                        $"must be >= {BlockOverhead}, a multiple of 4 and within the {rest.Length} bytes left");
                }

                var block = rest[..(int)totalLength];
                uint trailingLength = reader.U32(block[^4..]);
                if (trailingLength != totalLength)
                    throw Corrupt(offset, $"block type 0x{type:X} trailing length {trailingLength} differs from leading length {totalLength}");
                var body = block[8..^4];
                switch (type)
                {
                    case InterfaceDescriptionBlock:
                        interfaces.Add(ReadInterface(body, reader, offset));
                        break;
                    case EnhancedPacketBlock:
                        records.Add(ReadEnhancedPacket(body, reader, interfaces, records.Count, offset));
                        break;
                    case SimplePacketBlock:
                        records.Add(ReadSimplePacket(body, reader, interfaces, records.Count, offset));
                        break;
                    default:
                        break; // SHB (handled above), name resolution, statistics, custom, …
                }

                offset += (int)totalLength;
            }

            return records;
        }

        private static Endian SectionByteOrder(ReadOnlySpan<byte> block, int offset)
        {
            if (block.Length < 16)
                throw Corrupt(offset, "Section Header Block is cut off before its byte-order magic");
            if (BinaryPrimitives.ReadUInt32LittleEndian(block[8..]) == ByteOrderMagic)
                return new Endian(false);
            if (BinaryPrimitives.ReadUInt32BigEndian(block[8..]) == ByteOrderMagic)
                return new Endian(true);
            throw Corrupt(offset + 8, $"Section Header Block byte-order magic is 0x{BinaryPrimitives.ReadUInt32BigEndian(block[8..]):X8}");
        }

        private static Interface ReadInterface(ReadOnlySpan<byte> body, Endian reader, int offset)
        {
            if (body.Length < 8)
                throw Corrupt(offset, $"Interface Description Block body is {body.Length} bytes, needs 8");
            var linkType = (LinkType)reader.U16(body);
            uint snapLength = reader.U32(body[4..]);
            double tick = 1e-6;
            long offsetSeconds = 0;
            var options = body[8..];
            while (options.Length >= 4)
            {
                ushort code = reader.U16(options);
                int length = reader.U16(options[2..]);
                if (code == OptionEnd)
                    break;
                int padded = (length + 3) & ~3;
                if (options.Length - 4 < padded)
                    throw Corrupt(offset, $"IDB option {code} declares {length} bytes, only {options.Length - 4} remain");
                var value = options.Slice(4, length);
                if (code == OptionTsResol && length >= 1)
                    tick = (value[0] & 0x80) != 0 ? Math.Pow(2, -(value[0] & 0x7F)) : Math.Pow(10, -value[0]);
                else if (code == OptionTsOffset && length >= 8)
                    offsetSeconds = reader.I64(value);
                options = options[(4 + padded)..];
            }

            return new Interface(linkType, snapLength, tick, offsetSeconds);
        }

        private static CaptureRecord ReadEnhancedPacket(ReadOnlySpan<byte> body, Endian reader, List<Interface> interfaces, int index, int offset)
        {
            if (body.Length < 20)
                throw Corrupt(offset, $"Enhanced Packet Block body is {body.Length} bytes, needs 20");
            uint interfaceId = reader.U32(body);
            if (interfaceId >= (uint)interfaces.Count)
                throw Corrupt(offset, $"Enhanced Packet Block names interface {interfaceId}, but the section declares {interfaces.Count}");
            var nic = interfaces[(int)interfaceId];
            ulong ticks = ((ulong)reader.U32(body[4..]) << 32) | reader.U32(body[8..]);
            uint captured = reader.U32(body[12..]);
            if (captured > (uint)(body.Length - 20))
                throw Corrupt(offset, $"Enhanced Packet Block captured length {captured} exceeds its {body.Length - 20} data bytes");
            double timestamp = nic.OffsetSeconds + (ticks * nic.TickSeconds);
            return new CaptureRecord(index, nic.LinkType, timestamp, body.Slice(20, (int)captured).ToArray());
        }

        private static CaptureRecord ReadSimplePacket(ReadOnlySpan<byte> body, Endian reader, List<Interface> interfaces, int index, int offset)
        {
            if (interfaces.Count == 0)
                throw Corrupt(offset, "Simple Packet Block before any Interface Description Block");
            if (body.Length < 4)
                throw Corrupt(offset, $"Simple Packet Block body is {body.Length} bytes, needs 4");

            // No captured-length field: the data is the original length cut to the snap length (0 = unlimited).
            var nic = interfaces[0];
            uint captured = reader.U32(body);
            if (nic.SnapLength != 0)
                captured = Math.Min(captured, nic.SnapLength);
            if (captured > (uint)(body.Length - 4))
                throw Corrupt(offset, $"Simple Packet Block holds {body.Length - 4} data bytes, fewer than the {captured} it implies");
            return new CaptureRecord(index, nic.LinkType, double.NaN, body.Slice(4, (int)captured).ToArray());
        }
    }
}
