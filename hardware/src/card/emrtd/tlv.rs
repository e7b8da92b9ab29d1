//! BER-TLV as ICAO 9303 uses it: tags of one to three bytes, definite
//! lengths of up to four bytes. Enough for LDS files and secure messaging
//! data objects; CMS structures go through the `der` crate instead.

/// One decoded data object borrowing its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u32,
    pub value: &'a [u8],
    /// Bytes the whole object took (tag, length and value).
    pub encoded_len: usize,
}

/// Failure to decode bytes as a data object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlvError {
    #[error("data object ends inside its tag or length at byte {0}")]
    TruncatedHeader(usize),
    #[error("data object with tag {tag:X} declares {declared} value bytes but {available} remain")]
    TruncatedValue {
        tag: u32,
        declared: usize,
        available: usize,
    },
    #[error("data object uses an indefinite or oversized length form")]
    UnsupportedLength,
    #[error("expected tag {expected:X}, found {found:X}")]
    UnexpectedTag { expected: u32, found: u32 },
}

/// Decodes the tag and length at the start of `bytes`; returns the tag,
/// the value length and the header length.
pub fn decode_header(bytes: &[u8]) -> Result<(u32, usize, usize), TlvError> {
    let mut position = 0;
    let byte = |position: usize| {
        bytes
            .get(position)
            .copied()
            .ok_or(TlvError::TruncatedHeader(position))
    };

    let first = byte(position)?;
    position += 1;
    let mut tag = u32::from(first);
    if first & 0x1F == 0x1F {
        loop {
            let next = byte(position)?;
            position += 1;
            tag = (tag << 8) | u32::from(next);
            if next & 0x80 == 0 {
                break;
            }
            if position > 3 {
                return Err(TlvError::UnsupportedLength);
            }
        }
    }

    let first_length = byte(position)?;
    position += 1;
    let length = if first_length < 0x80 {
        usize::from(first_length)
    } else {
        let count = usize::from(first_length & 0x7F);
        if count == 0 || count > 4 {
            return Err(TlvError::UnsupportedLength);
        }
        let mut length = 0usize;
        for _ in 0..count {
            length = (length << 8) | usize::from(byte(position)?);
            position += 1;
        }
        length
    };
    Ok((tag, length, position))
}

/// Decodes the object at the start of `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Tlv<'_>, TlvError> {
    let (tag, length, header) = decode_header(bytes)?;
    let available = bytes.len() - header;
    if length > available {
        return Err(TlvError::TruncatedValue {
            tag,
            declared: length,
            available,
        });
    }
    Ok(Tlv {
        tag,
        value: &bytes[header..header + length],
        encoded_len: header + length,
    })
}

/// Decodes the object at the start of `bytes` and checks its tag.
pub fn expect(bytes: &[u8], tag: u32) -> Result<Tlv<'_>, TlvError> {
    let object = decode(bytes)?;
    if object.tag != tag {
        return Err(TlvError::UnexpectedTag {
            expected: tag,
            found: object.tag,
        });
    }
    Ok(object)
}

/// Decodes consecutive objects filling `bytes`.
pub fn decode_all(mut bytes: &[u8]) -> Result<Vec<Tlv<'_>>, TlvError> {
    let mut objects = Vec::new();
    while !bytes.is_empty() {
        let object = decode(bytes)?;
        bytes = &bytes[object.encoded_len..];
        objects.push(object);
    }
    Ok(objects)
}

/// Finds the first object with `tag` among consecutive objects.
pub fn find(bytes: &[u8], tag: u32) -> Result<Option<Tlv<'_>>, TlvError> {
    Ok(decode_all(bytes)?
        .into_iter()
        .find(|object| object.tag == tag))
}

/// Encodes a BER definite length.
pub fn encode_length(length: usize, out: &mut Vec<u8>) {
    match length {
        0..=0x7F => out.push(length as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, length as u8]),
        0x100..=0xFFFF => {
            out.push(0x82);
            out.extend_from_slice(&(length as u16).to_be_bytes());
        }
        _ => {
            out.push(0x84);
            out.extend_from_slice(&(length as u32).to_be_bytes());
        }
    }
}

/// Encodes one object; `tag` is written in as many bytes as it has.
pub fn encode(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 8);
    let tag_bytes = tag.to_be_bytes();
    let start = tag_bytes.iter().position(|&b| b != 0).unwrap_or(3);
    out.extend_from_slice(&tag_bytes[start..]);
    encode_length(value.len(), &mut out);
    out.extend_from_slice(value);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::hex;

    #[test]
    fn decodes_multi_byte_tag_and_long_length() {
        let mut bytes = hex::decode("5F1F 81 80");
        bytes.extend(vec![0x41; 0x80]);
        let object = decode(&bytes).unwrap();
        assert_eq!(object.tag, 0x5F1F);
        assert_eq!(object.value.len(), 0x80);
        assert_eq!(object.encoded_len, 4 + 0x80);
    }

    #[test]
    fn encode_round_trips() {
        for length in [0, 5, 0x7F, 0x80, 0xFF, 0x100, 0x5000] {
            let value = vec![7; length];
            let bytes = encode(0x7F61, &value);
            let object = decode(&bytes).unwrap();
            assert_eq!((object.tag, object.value.len()), (0x7F61, length));
        }
        assert_eq!(encode(0x87, &[1, 2]), hex::decode("87020102"));
    }

    #[test]
    fn truncation_is_reported() {
        assert_eq!(
            decode(&hex::decode("5F")),
            Err(TlvError::TruncatedHeader(1))
        );
        assert_eq!(
            decode(&hex::decode("6105 0102")),
            Err(TlvError::TruncatedValue {
                tag: 0x61,
                declared: 5,
                available: 2
            })
        );
        assert_eq!(
            decode(&hex::decode("61 80")),
            Err(TlvError::UnsupportedLength)
        );
    }

    #[test]
    fn unexpected_tag_is_reported() {
        assert_eq!(
            expect(&hex::decode("6100"), 0x75),
            Err(TlvError::UnexpectedTag {
                expected: 0x75,
                found: 0x61
            })
        );
    }
}
