// Attachments in the browser tests: a camera-like JPEG that carries EXIF GPS (made in the page
// with a canvas, the EXIF segment added here), what a stored JPEG holds (EXIF? GPS? size), and
// the host's blob endpoint as a given person sees it.
import fs from 'node:fs';
import path from 'node:path';

import { PASSWORD } from './support.mjs';

/// Where the test photo says it was taken.
export const PHOTO_GPS = { lat: 30.123456, lon: 120.654321 };

// An EXIF APP1 segment (little-endian TIFF) with IFD0 → GPS IFD: latitude N, longitude E as
// degrees, minutes, seconds, and a camera make in IFD0 like a phone writes.
function exifSegment({ lat, lon }) {
  const tiff = Buffer.alloc(160);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  // IFD0 at 8: Make (ASCII at 140), GPS IFD pointer (at 38).
  tiff.writeUInt16LE(2, 8);
  const entry = (at, tag, type, count, value) => {
    tiff.writeUInt16LE(tag, at); tiff.writeUInt16LE(type, at + 2); tiff.writeUInt32LE(count, at + 4); tiff.writeUInt32LE(value, at + 8);
  };
  entry(10, 0x010F, 2, 12, 140);
  entry(22, 0x8825, 4, 1, 38);
  tiff.writeUInt32LE(0, 34);
  // GPS IFD at 38: 4 entries, then the rationals at 92 (latitude) and 116 (longitude).
  tiff.writeUInt16LE(4, 38);
  entry(40, 1, 2, 2, 0); tiff.write('N\0', 48, 'latin1');
  entry(52, 2, 5, 3, 92);
  entry(64, 3, 2, 2, 0); tiff.write('E\0', 72, 'latin1');
  entry(76, 4, 5, 3, 116);
  tiff.writeUInt32LE(0, 88);
  const dms = (x, at) => {
    const d = Math.floor(x), m = Math.floor((x - d) * 60), s = Math.round(((x - d) * 60 - m) * 60 * 10000);
    [[d, 1], [m, 1], [s, 10000]].forEach(([n, q], i) => { tiff.writeUInt32LE(n, at + i * 8); tiff.writeUInt32LE(q, at + i * 8 + 4); });
  };
  dms(lat, 92);
  dms(lon, 116);
  tiff.write('CunwuPhone\0', 140, 'latin1');
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xFF, 0xE1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/// A 3000×2250 camera-like photo (gradients, shapes, grain; `seed` makes another one) as a JPEG
/// with EXIF GPS, written to DIR/NAME. Resolves to {file, bytes}.
export async function cameraPhoto(page, dir, { name = 'photo.jpg', gps = PHOTO_GPS, seed = 7 } = {}) {
  const base64 = await page.evaluate(async (start) => {
    const c = new OffscreenCanvas(3000, 2250);
    const g = c.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, 2250);
    sky.addColorStop(0, '#7fb2e5'); sky.addColorStop(0.55, '#d8e6f0'); sky.addColorStop(0.56, '#6d8a3f'); sky.addColorStop(1, '#3e4f22');
    g.fillStyle = sky; g.fillRect(0, 0, 3000, 2250);
    let seed = start;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 400; i++) {
      g.fillStyle = `hsl(${Math.floor(rnd() * 360)} 40% ${30 + Math.floor(rnd() * 40)}%)`;
      g.beginPath(); g.arc(rnd() * 3000, 1250 + rnd() * 1000, 10 + rnd() * 90, 0, 7); g.fill();
    }
    g.fillStyle = '#8a8a86'; g.fillRect(600, 1150, 1800, 220);  // the bridge
    g.fillStyle = '#222'; g.font = '160px sans-serif'; g.fillText('石桥护栏 断了', 700, 900);
    const img = g.getImageData(0, 0, 3000, 2250);
    for (let i = 0; i < img.data.length; i += 4) {  // sensor grain
      const n = (rnd() - 0.5) * 24;
      img.data[i] += n; img.data[i + 1] += n; img.data[i + 2] += n;
    }
    g.putImageData(img, 0, 0);
    const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, seed);
  const jpeg = Buffer.from(base64, 'base64');
  const withExif = Buffer.concat([jpeg.subarray(0, 2), exifSegment(gps), jpeg.subarray(2)]);
  const file = path.join(dir, name);
  fs.writeFileSync(file, withExif);
  return { file, bytes: withExif.length };
}

/// What a JPEG holds before its image data: {jpeg, exif (an APP1 Exif segment), gps (its GPS
/// tag anywhere in the header), width, height (from the frame header)}.
export function jpegInfo(buf) {
  const out = { jpeg: buf[0] === 0xFF && buf[1] === 0xD8, exif: false, gps: false, width: 0, height: 0 };
  for (let at = 2; out.jpeg && at + 4 <= buf.length;) {
    const marker = buf.readUInt16BE(at), length = buf.readUInt16BE(at + 2);
    if (marker === 0xFFE1 && buf.toString('latin1', at + 4, at + 8) === 'Exif') {
      out.exif = true;
      out.gps = buf.subarray(at, at + 2 + length).includes(Buffer.from([0x25, 0x88]));
    }
    if (marker >= 0xFFC0 && marker <= 0xFFC2) {
      out.height = buf.readUInt16BE(at + 5);
      out.width = buf.readUInt16BE(at + 7);
    }
    if (marker === 0xFFDA) break;
    at += 2 + length;
  }
  return out;
}

/// GET /v1/blobs/SHA as the person with `phone`: {status, type, body (Buffer), code}.
export async function blobAs(server, phone, sha) {
  const login = await fetch(`${server.url}/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ phone, password: PASSWORD }) });
  const { token } = await login.json();
  const res = await fetch(`${server.url}/v1/blobs/${sha}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  let code = '';
  if (!res.ok) code = JSON.parse(body.toString('utf8')).error.code;
  return { status: res.status, type: res.headers.get('content-type'), body, code };
}
