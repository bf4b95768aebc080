import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * The `tg://login?token=…` link as a QR code, drawn here in the browser: the token logs into the
 * account, so it is never sent to a QR-code web service, and never shown as text (Telegram apps
 * accept it only through their in-app camera: https://core.telegram.org/api/links#qr-code-login-links).
 * An SVG in an <img> (data: URL) needs no innerHTML and fits the CSP.
 */
export function LoginQrCode({ url }: { url: string }) {
  const [qr, setQr] = useState<{ url: string; src: string } | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
      .then((svg) => {
        if (current)
          setQr({ url, src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
      })
      .catch(() => {
        if (current) setQr(null);
      });
    return () => {
      current = false;
    };
  }, [url]);
  // Only the code for the link of now: a renewed link replaces the old code. The box keeps its
  // size meanwhile, so the instructions do not jump.
  return (
    <div className="login-qr-frame">
      {qr?.url === url ? (
        <img
          className="login-qr"
          src={qr.src}
          width={200}
          height={200}
          alt="QR code to scan with the Telegram app on your phone"
        />
      ) : null}
    </div>
  );
}
