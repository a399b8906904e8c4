package io.ruqi.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A self-signed X.509 v3 certificate for an Ed25519 key, written in DER by hand: the JDK parses certificates but
 * has no public API to make one, and this one needs no extension, only a name, a validity and the key. Every field
 * is fixed, so the same key always gives the same bytes.
 */
final class SelfSignedCertificate {
  private static final byte[] ED25519 = {0x06, 0x03, 0x2B, 0x65, 0x70};          // OID 1.3.101.112
  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};      // OID 2.5.4.3
  private static final int SEQUENCE = 0x30;
  private static final int SET = 0x31;
  private static final int INTEGER = 0x02;
  private static final int BIT_STRING = 0x03;
  private static final int UTF8_STRING = 0x0C;
  private static final int UTC_TIME = 0x17;
  private static final int GENERALIZED_TIME = 0x18;
  private static final int VERSION_TAG = 0xA0;

  private SelfSignedCertificate() {
  }

  static X509Certificate of(KeyPair keys, String commonName) throws GeneralSecurityException {
    byte[] algorithm = tlv(SEQUENCE, ED25519);
    byte[] name = tlv(SEQUENCE, tlv(SET, tlv(SEQUENCE, COMMON_NAME,
        tlv(UTF8_STRING, commonName.getBytes(StandardCharsets.UTF_8)))));
    byte[] validity = tlv(SEQUENCE,
        tlv(UTC_TIME, "000101000000Z".getBytes(StandardCharsets.US_ASCII)),
        tlv(GENERALIZED_TIME, "99991231235959Z".getBytes(StandardCharsets.US_ASCII)));
    byte[] tbs = tlv(SEQUENCE,
        tlv(VERSION_TAG, tlv(INTEGER, new byte[] {2})),
        tlv(INTEGER, new byte[] {1}),
        algorithm, name, validity, name,
        keys.getPublic().getEncoded());
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(keys.getPrivate());
    signer.update(tbs);
    byte[] signature = signer.sign();
    byte[] bits = new byte[signature.length + 1];  // a leading 0: no unused bits
    System.arraycopy(signature, 0, bits, 1, signature.length);
    byte[] der = tlv(SEQUENCE, tbs, algorithm, tlv(BIT_STRING, bits));
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  /** One DER element: its tag, its length (short or long form) and its content. */
  private static byte[] tlv(int tag, byte[]... content) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] part : content) {
      body.writeBytes(part);
    }
    int length = body.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xFF);
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }
}
