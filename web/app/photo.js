// Photos on the device: resized (longest side 1280 px) and re-encoded as JPEG before they are
// stored or sent, so a 4 MB camera photo becomes ~100–300 KB. Re-encoding from pixels drops
// every EXIF field, the location (GPS) included; readGps reads the location from the original
// first, for villagers who choose to share it.
export const MAX_SIDE = 1280;
const QUALITIES = [0.7, 0.55, 0.4];  // tried in turn until the photo fits
export const MAX_BYTES = 1 << 20;    // the host's limit for a photo (native/host/blobs.hpp)

const unreadable = () => Object.assign(new Error('photo_unreadable'), { code: 'photo_unreadable' });

function canvasOf(w, h) {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(w, h);
  return Object.assign(document.createElement('canvas'), { width: w, height: h });
}

const encode = (canvas, quality) => (canvas.convertToBlob
  ? canvas.convertToBlob({ type: 'image/jpeg', quality })
  : new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality)));

/// A photo ready to attach: {blob (image/jpeg), width, height, original (bytes picked), gps
/// ({lat, lon} from the original's EXIF, or null)}. Throws {code: 'photo_unreadable'} for a file
/// this browser cannot decode.
export async function preparePhoto(file) {
  let bitmap;
  try {
    // The browser applies the EXIF orientation while decoding, so the pixels stand upright.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw unreadable();
  }
  const gps = await readGps(file).catch(() => null);
  let side = MAX_SIDE;
  try {
    for (;;) {
      const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      const width = Math.max(1, Math.round(bitmap.width * scale)), height = Math.max(1, Math.round(bitmap.height * scale));
      const canvas = canvasOf(width, height);
      const ctx = canvas.getContext('2d');
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, width, height);
      for (const q of QUALITIES) {
        const blob = await encode(canvas, q);
        if (!blob) throw unreadable();
        if (blob.size <= MAX_BYTES) return { blob, width, height, original: file.size, gps };
      }
      side = Math.round(side * 0.75);  // noise that JPEG cannot squeeze: fewer pixels
    }
  } finally {
    bitmap.close?.();
  }
}

/// The GPS position in a JPEG's EXIF as {lat, lon} in signed decimal degrees, or null when
/// there is none (or the file is not a JPEG with EXIF).
export async function readGps(file) {
  const view = new DataView(await file.slice(0, 256 * 1024).arrayBuffer());
  if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) return null;
  for (let at = 2; at + 4 <= view.byteLength;) {
    const marker = view.getUint16(at);
    if ((marker & 0xFF00) !== 0xFF00 || marker === 0xFFDA) return null;  // start of scan: no EXIF before it
    const length = view.getUint16(at + 2);
    if (marker === 0xFFE1 && at + 10 <= view.byteLength && view.getUint32(at + 4) === 0x45786966) {  // "Exif"
      return gpsOfTiff(view, at + 10, Math.min(view.byteLength, at + 2 + length));
    }
    at += 2 + length;
  }
  return null;
}

// The TIFF structure inside the EXIF segment: IFD0 points to the GPS IFD (tag 0x8825), whose
// tags 1–4 are the latitude and longitude, each as N/S (E/W) and three rationals (d, m, s).
function gpsOfTiff(view, tiff, end) {
  const little = view.getUint16(tiff) === 0x4949;
  const u16 = (o) => view.getUint16(tiff + o, little);
  const u32 = (o) => view.getUint32(tiff + o, little);
  const inside = (o, n) => tiff + o + n <= end;
  const entries = (ifd) => {
    if (!inside(ifd, 2)) return [];
    const n = u16(ifd);
    const out = [];
    for (let i = 0; i < n && inside(ifd + 2 + i * 12, 12); i++) {
      const e = ifd + 2 + i * 12;
      out.push({ tag: u16(e), type: u16(e + 2), count: u32(e + 4), value: e + 8 });
    }
    return out;
  };
  const gpsPointer = entries(u32(4)).find((e) => e.tag === 0x8825);
  if (!gpsPointer) return null;
  const gps = Object.fromEntries(entries(u32(gpsPointer.value)).map((e) => [e.tag, e]));
  const ref = (e) => (e && inside(e.value, 1) ? String.fromCharCode(view.getUint8(tiff + e.value)) : '');
  const degrees = (e) => {
    if (!e || e.type !== 5 || e.count !== 3) return NaN;
    const at = u32(e.value);
    if (!inside(at, 24)) return NaN;
    const r = (i) => u32(at + i * 8) / u32(at + i * 8 + 4);
    return r(0) + r(1) / 60 + r(2) / 3600;
  };
  const lat = degrees(gps[2]) * (ref(gps[1]) === 'S' ? -1 : 1);
  const lon = degrees(gps[4]) * (ref(gps[3]) === 'W' ? -1 : 1);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}
