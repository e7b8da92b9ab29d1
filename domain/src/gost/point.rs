//! Point arithmetic on a short Weierstrass curve y² = x³ + ax + b over
//! GF(p), with big integers and Jacobian coordinates so that a scalar
//! multiplication needs one field inversion instead of one per step.
//!
//! NOTE: nothing here runs in constant time. Verification only handles
//! public values (the key, the digest and the signature), so its timing
//! reveals nothing secret. The signing path in `signature.rs` feeds a
//! private key through the same code and is meant for tests only.

use num_bigint::BigUint;

/// A point other than the point at infinity, in affine coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AffinePoint {
    pub(crate) x: BigUint,
    pub(crate) y: BigUint,
}

/// A point as (X : Y : Z) with x = X/Z² and y = Y/Z³; Z = 0 is the point
/// at infinity.
#[derive(Debug, Clone)]
struct JacobianPoint {
    x: BigUint,
    y: BigUint,
    z: BigUint,
}

/// The domain parameters of one curve: the field prime `p`, the
/// coefficients `a` and `b`, the prime order `q` of the base point's
/// subgroup and the base point itself.
#[derive(Debug)]
pub(crate) struct WeierstrassCurve {
    pub(crate) p: BigUint,
    pub(crate) a: BigUint,
    pub(crate) b: BigUint,
    pub(crate) q: BigUint,
    pub(crate) base: AffinePoint,
}

impl WeierstrassCurve {
    /// Checks that both coordinates are reduced below `p` and that the
    /// point satisfies the curve equation.
    pub(crate) fn contains(&self, point: &AffinePoint) -> bool {
        if point.x >= self.p || point.y >= self.p {
            return false;
        }
        let left = self.mul(&point.y, &point.y);
        let x_cubed = self.mul(&self.mul(&point.x, &point.x), &point.x);
        let right = (x_cubed + self.mul(&self.a, &point.x) + &self.b) % &self.p;
        left == right
    }

    /// Computes `scalar · point`; `None` is the point at infinity.
    pub(crate) fn multiply(&self, point: &AffinePoint, scalar: &BigUint) -> Option<AffinePoint> {
        let start = self.to_jacobian(point);
        let mut sum = self.infinity();
        for bit in (0..scalar.bits()).rev() {
            sum = self.double(&sum);
            if scalar.bit(bit) {
                sum = self.add(&sum, &start);
            }
        }
        self.to_affine(&sum)
    }

    /// Computes `k1 · p1 + k2 · p2` in one pass over the bits of both
    /// scalars (Shamir's trick); `None` is the point at infinity.
    pub(crate) fn multiply_add(
        &self,
        k1: &BigUint,
        p1: &AffinePoint,
        k2: &BigUint,
        p2: &AffinePoint,
    ) -> Option<AffinePoint> {
        let first = self.to_jacobian(p1);
        let second = self.to_jacobian(p2);
        let both = self.add(&first, &second);
        let mut sum = self.infinity();
        for bit in (0..k1.bits().max(k2.bits())).rev() {
            sum = self.double(&sum);
            sum = match (k1.bit(bit), k2.bit(bit)) {
                (true, true) => self.add(&sum, &both),
                (true, false) => self.add(&sum, &first),
                (false, true) => self.add(&sum, &second),
                (false, false) => sum,
            };
        }
        self.to_affine(&sum)
    }

    fn infinity(&self) -> JacobianPoint {
        JacobianPoint {
            x: BigUint::from(1u8),
            y: BigUint::from(1u8),
            z: BigUint::ZERO,
        }
    }

    fn to_jacobian(&self, point: &AffinePoint) -> JacobianPoint {
        JacobianPoint {
            x: point.x.clone(),
            y: point.y.clone(),
            z: BigUint::from(1u8),
        }
    }

    fn to_affine(&self, point: &JacobianPoint) -> Option<AffinePoint> {
        if point.z == BigUint::ZERO {
            return None;
        }
        let z_inverse = self.invert(&point.z);
        let z_inverse_squared = self.mul(&z_inverse, &z_inverse);
        Some(AffinePoint {
            x: self.mul(&point.x, &z_inverse_squared),
            y: self.mul(&point.y, &self.mul(&z_inverse_squared, &z_inverse)),
        })
    }

    /// Doubles a point with the Jacobian formulas for any `a`, because
    /// GOST curves do not all have a = -3.
    fn double(&self, point: &JacobianPoint) -> JacobianPoint {
        if point.z == BigUint::ZERO || point.y == BigUint::ZERO {
            return self.infinity();
        }
        let xx = self.mul(&point.x, &point.x);
        let yy = self.mul(&point.y, &point.y);
        let yyyy = self.mul(&yy, &yy);
        let zz = self.mul(&point.z, &point.z);
        let s = self.mul(&BigUint::from(4u8), &self.mul(&point.x, &yy));
        let m =
            (self.mul(&BigUint::from(3u8), &xx) + self.mul(&self.a, &self.mul(&zz, &zz))) % &self.p;
        let x = self.sub(&self.mul(&m, &m), &self.mul(&BigUint::from(2u8), &s));
        let y = self.sub(
            &self.mul(&m, &self.sub(&s, &x)),
            &self.mul(&BigUint::from(8u8), &yyyy),
        );
        let z = self.mul(&BigUint::from(2u8), &self.mul(&point.y, &point.z));
        JacobianPoint { x, y, z }
    }

    /// Adds two points, falling back to doubling when both are the same
    /// point.
    fn add(&self, left: &JacobianPoint, right: &JacobianPoint) -> JacobianPoint {
        if left.z == BigUint::ZERO {
            return right.clone();
        }
        if right.z == BigUint::ZERO {
            return left.clone();
        }
        let z1z1 = self.mul(&left.z, &left.z);
        let z2z2 = self.mul(&right.z, &right.z);
        let u1 = self.mul(&left.x, &z2z2);
        let u2 = self.mul(&right.x, &z1z1);
        let s1 = self.mul(&left.y, &self.mul(&right.z, &z2z2));
        let s2 = self.mul(&right.y, &self.mul(&left.z, &z1z1));

        if u1 == u2 {
            return if s1 == s2 {
                self.double(left)
            } else {
                self.infinity()
            };
        }

        let h = self.sub(&u2, &u1);
        let r = self.sub(&s2, &s1);
        let hh = self.mul(&h, &h);
        let hhh = self.mul(&h, &hh);
        let v = self.mul(&u1, &hh);
        let x = self.sub(
            &self.sub(&self.mul(&r, &r), &hhh),
            &self.mul(&BigUint::from(2u8), &v),
        );
        let y = self.sub(&self.mul(&r, &self.sub(&v, &x)), &self.mul(&s1, &hhh));
        let z = self.mul(&self.mul(&left.z, &right.z), &h);
        JacobianPoint { x, y, z }
    }

    fn mul(&self, left: &BigUint, right: &BigUint) -> BigUint {
        (left * right) % &self.p
    }

    /// Subtracts modulo `p`. Both operands are already reduced.
    fn sub(&self, left: &BigUint, right: &BigUint) -> BigUint {
        ((left + &self.p) - right) % &self.p
    }

    /// Inverts a non-zero element by Fermat's little theorem, since `p` is
    /// prime.
    fn invert(&self, value: &BigUint) -> BigUint {
        value.modpow(&(&self.p - 2u8), &self.p)
    }
}
