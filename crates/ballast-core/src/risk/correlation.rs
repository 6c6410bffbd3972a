//! Correlation of several assets' returns, repaired to positive
//! semi-definite when needed, and its Cholesky factor for drawing
//! correlated shocks.

use serde::Serialize;

use super::linalg::{cholesky, symmetric_eigen, SquareMatrix};
use super::volatility::log_returns;
use super::RiskError;

/// A symmetric matrix with a unit diagonal and entries in [−1, 1]. It is
/// not necessarily positive semi-definite (a matrix typed by hand or pieced
/// together from pairwise estimates may not be); see
/// [`CorrelationMatrix::positive_semidefinite`].
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationMatrix {
    matrix: SquareMatrix,
}

/// What [`CorrelationMatrix::positive_semidefinite`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    pub matrix: CorrelationMatrix,
    /// False when the input was already positive semi-definite and is returned as is.
    pub adjusted: bool,
    /// The input's smallest eigenvalue (negative when it had to be repaired).
    pub smallest_eigenvalue: f64,
}

/// An eigenvalue above −this counts as zero (rounding).
const EIGENVALUE_TOLERANCE: f64 = 1e-12;

impl CorrelationMatrix {
    /// Uncorrelated assets.
    pub fn identity(n: usize) -> Self {
        Self { matrix: SquareMatrix::identity(n) }
    }

    /// Every pair correlated by `rho`; positive semi-definite for
    /// −1/(n − 1) ≤ ρ ≤ 1.
    pub fn uniform(n: usize, rho: f64) -> Result<Self, RiskError> {
        let rows = (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { rho }).collect()).collect::<Vec<_>>();
        Self::from_rows(&rows)
    }

    /// From rows, checked: square, symmetric, unit diagonal, entries in [−1, 1].
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Self, RiskError> {
        let matrix = SquareMatrix::from_rows(rows)?;
        let n = matrix.size();
        for i in 0..n {
            for j in 0..n {
                let v = matrix.get(i, j);
                let at = || format!("correlation[{i}][{j}]");
                if !(-1.0..=1.0).contains(&v) {
                    return Err(RiskError::new(at(), format!("is {v}; a correlation lies in [−1, 1]")));
                }
                if i == j && v != 1.0 {
                    return Err(RiskError::new(at(), format!("is {v}; the diagonal must be 1")));
                }
                if v != matrix.get(j, i) {
                    return Err(RiskError::new(at(), format!("is {v} but its mirror is {}", matrix.get(j, i))));
                }
            }
        }
        Ok(Self { matrix })
    }

    /// The Pearson correlation of return series of equal length (at least
    /// 2), aligned day by day. A series with no variance (a stablecoin at
    /// exactly 1) has no defined correlation; it is taken as uncorrelated.
    pub fn from_returns(returns: &[Vec<f64>]) -> Result<Self, RiskError> {
        let n = returns.len();
        let days = returns.first().map_or(0, Vec::len);
        for (k, r) in returns.iter().enumerate() {
            if r.len() != days {
                return Err(RiskError::new(
                    format!("returns[{k}]"),
                    format!("has {} returns but returns[0] has {days}; align the series first", r.len()),
                ));
            }
            if let Some(i) = r.iter().position(|x| !x.is_finite()) {
                return Err(RiskError::new(format!("returns[{k}][{i}]"), "is not a finite number"));
            }
        }
        if n > 0 && days < 2 {
            return Err(RiskError::new("returns", "a correlation needs at least 2 returns per asset"));
        }
        let deviations: Vec<Vec<f64>> = returns
            .iter()
            .map(|r| {
                let mean = r.iter().sum::<f64>() / days as f64;
                r.iter().map(|x| x - mean).collect()
            })
            .collect();
        let norms: Vec<f64> = deviations.iter().map(|d| d.iter().map(|x| x * x).sum::<f64>().sqrt()).collect();
        let mut matrix = SquareMatrix::identity(n);
        for i in 0..n {
            for j in i + 1..n {
                let rho = if norms[i] > 0.0 && norms[j] > 0.0 {
                    let dot: f64 = deviations[i].iter().zip(&deviations[j]).map(|(a, b)| a * b).sum();
                    // Rounding can step a hair outside [−1, 1].
                    (dot / (norms[i] * norms[j])).clamp(-1.0, 1.0)
                } else {
                    0.0
                };
                matrix.set(i, j, rho);
                matrix.set(j, i, rho);
            }
        }
        Ok(Self { matrix })
    }

    /// The correlation of the daily log returns of closes aligned day by
    /// day (see [`super::volatility::align_by_day`]).
    pub fn from_closes(closes: &[Vec<f64>]) -> Result<Self, RiskError> {
        let returns = closes
            .iter()
            .enumerate()
            .map(|(k, c)| log_returns(c).map_err(|e| RiskError::new(format!("series[{k}].{}", e.input), e.problem)))
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_returns(&returns)
    }

    pub fn size(&self) -> usize {
        self.matrix.size()
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.matrix.get(i, j)
    }

    pub fn rows(&self) -> Vec<Vec<f64>> {
        self.matrix.rows()
    }

    /// The nearest-in-spirit positive semi-definite correlation matrix by
    /// eigenvalue clipping (Rebonato and Jäckel, 1999): negative eigenvalues
    /// are set to zero, M' = V·max(Λ, 0)·Vᵀ, and M' is rescaled to a unit
    /// diagonal, D^-½·M'·D^-½. The result keeps the eigenvectors and stays
    /// semi-definite; it is close to, but not exactly, Higham's nearest
    /// correlation matrix in the Frobenius norm. A matrix that is already
    /// semi-definite comes back unchanged.
    pub fn positive_semidefinite(&self) -> Result<Repair, RiskError> {
        let n = self.size();
        let eigen = symmetric_eigen(&self.matrix)?;
        let smallest_eigenvalue = eigen.values.last().copied().unwrap_or(1.0);
        if smallest_eigenvalue >= -EIGENVALUE_TOLERANCE {
            return Ok(Repair { matrix: self.clone(), adjusted: false, smallest_eigenvalue });
        }
        let clipped: Vec<f64> = eigen.values.iter().map(|&l| l.max(0.0)).collect();
        let mut rebuilt = SquareMatrix::zeros(n);
        for i in 0..n {
            for j in 0..=i {
                let v: f64 = (0..n).map(|k| eigen.vectors.get(i, k) * clipped[k] * eigen.vectors.get(j, k)).sum();
                rebuilt.set(i, j, v);
                rebuilt.set(j, i, v);
            }
        }
        // Each diagonal entry is at least 1: clipping only adds the negative part back.
        let mut matrix = SquareMatrix::identity(n);
        for i in 0..n {
            for j in 0..i {
                let v = (rebuilt.get(i, j) / (rebuilt.get(i, i) * rebuilt.get(j, j)).sqrt()).clamp(-1.0, 1.0);
                matrix.set(i, j, v);
                matrix.set(j, i, v);
            }
        }
        Ok(Repair { matrix: Self { matrix }, adjusted: true, smallest_eigenvalue })
    }

    /// The lower-triangular L with L·Lᵀ = this matrix: L·z turns independent
    /// standard normals z into correlated ones. Errors on a matrix that is
    /// not positive semi-definite; repair it first.
    pub fn cholesky(&self) -> Result<CholeskyFactor, RiskError> {
        Ok(CholeskyFactor { lower: cholesky(&self.matrix)? })
    }
}

/// L in L·Lᵀ = Σ, lower triangular.
#[derive(Debug, Clone, PartialEq)]
pub struct CholeskyFactor {
    lower: SquareMatrix,
}

impl CholeskyFactor {
    pub fn size(&self) -> usize {
        self.lower.size()
    }

    pub fn rows(&self) -> Vec<Vec<f64>> {
        self.lower.rows()
    }

    /// correlated = L·independent, using only the lower triangle.
    pub fn correlate(&self, independent: &[f64], correlated: &mut [f64]) {
        for (i, out) in correlated.iter_mut().enumerate().take(self.size()) {
            *out = independent.iter().take(i + 1).enumerate().map(|(k, z)| self.lower.get(i, k) * z).sum();
        }
    }
}

/// Rows of a correlation matrix for the UI.
impl Serialize for CorrelationMatrix {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rows().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pearson_of_hand_worked_returns() {
        // x = 1, 2, 3, 4 and y = 2, 1, 4, 3: deviations (−1.5, −0.5, 0.5, 1.5)
        // and (−0.5, −1.5, 1.5, 0.5); Σdx·dy = 3, Σdx² = Σdy² = 5, ρ = 0.6.
        // z = 1, 0, 0, 1 is orthogonal to both.
        let m = CorrelationMatrix::from_returns(&[
            vec![1.0, 2.0, 3.0, 4.0],
            vec![2.0, 1.0, 4.0, 3.0],
            vec![1.0, 0.0, 0.0, 1.0],
        ])
        .unwrap();
        let expected = [[1.0, 0.6, 0.0], [0.6, 1.0, 0.0], [0.0, 0.0, 1.0]];
        for (row, want) in m.rows().iter().zip(expected) {
            assert!(row.iter().zip(want).all(|(a, b)| (a - b).abs() < 1e-15), "{:?}", m.rows());
        }
        let l = m.cholesky().unwrap().rows();
        assert_eq!(l[2], vec![0.0, 0.0, 1.0]);
        assert!((l[1][1] - 0.8).abs() < 1e-15 && (l[1][0] - 0.6).abs() < 1e-15, "{l:?}");
    }

    #[test]
    fn closes_that_move_in_opposite_steps_are_perfectly_anticorrelated() {
        // A's returns take two values, and B's are an affine, decreasing
        // function of A's: ρ = −1 exactly, a singular but valid matrix.
        let m =
            CorrelationMatrix::from_closes(&[vec![100.0, 110.0, 99.0, 108.9], vec![50.0, 45.0, 49.5, 44.55]]).unwrap();
        assert!((m.get(0, 1) + 1.0).abs() < 1e-12, "{}", m.get(0, 1));
        let l = m.cholesky().unwrap().rows();
        assert!((l[1][0] - m.get(0, 1)).abs() < 1e-15 && l[1][1].abs() < 1e-5, "{l:?}");
    }

    #[test]
    fn a_constant_series_is_uncorrelated() {
        let m = CorrelationMatrix::from_returns(&[vec![0.0, 0.0, 0.0], vec![0.1, -0.2, 0.05]]).unwrap();
        assert_eq!(m.get(0, 1), 0.0);
    }

    #[test]
    fn clipping_repairs_an_inconsistent_matrix() {
        // ρ₁₂ = ρ₂₃ = 1 but ρ₁₃ = 0 is impossible: eigenvalues 1 ± √2 and 1.
        // Clipping 1 − √2 to 0 leaves (1 + √2)·v₁v₁ᵀ + v₂v₂ᵀ with
        // v₁ = (1, √2, 1)/2, v₂ = (1, 0, −1)/√2, i.e. diagonal (3 + √2)/4,
        // (1 + √2)/2, (3 + √2)/4 and off-diagonals (2 + √2)/4 (neighbours),
        // (√2 − 1)/4 (ends); rescaled to a unit diagonal:
        let m = CorrelationMatrix::from_rows(&[vec![1.0, 1.0, 0.0], vec![1.0, 1.0, 1.0], vec![0.0, 1.0, 1.0]]).unwrap();
        assert!(m.cholesky().is_err());
        let r2 = std::f64::consts::SQRT_2;
        let repair = m.positive_semidefinite().unwrap();
        assert!(repair.adjusted);
        assert!((repair.smallest_eigenvalue - (1.0 - r2)).abs() < 1e-14);
        let (d_end, d_mid) = ((3.0 + r2) / 4.0, (1.0 + r2) / 2.0);
        let neighbours = (2.0 + r2) / 4.0 / (d_end * d_mid).sqrt();
        let ends = (r2 - 1.0) / 4.0 / d_end;
        let got = repair.matrix.rows();
        assert!((got[0][1] - neighbours).abs() < 1e-14 && (got[1][2] - neighbours).abs() < 1e-14, "{got:?}");
        assert!((got[0][2] - ends).abs() < 1e-14, "{got:?}");
        assert!((neighbours - 0.739_539_2).abs() < 1e-7 && (ends - 0.093_836_3).abs() < 1e-7);
        assert!(repair.matrix.cholesky().is_ok());
        // A valid matrix is left alone.
        let fine = CorrelationMatrix::uniform(3, 0.5).unwrap().positive_semidefinite().unwrap();
        assert!(!fine.adjusted && (fine.smallest_eigenvalue - 0.5).abs() < 1e-15);
    }

    #[test]
    fn refuses_a_matrix_that_is_not_a_correlation() {
        let e = CorrelationMatrix::from_rows(&[vec![1.0, 0.5], vec![0.4, 1.0]]).unwrap_err();
        assert_eq!(e.to_string(), "correlation[0][1]: is 0.5 but its mirror is 0.4");
        assert!(CorrelationMatrix::from_rows(&[vec![1.0, 1.5], vec![1.5, 1.0]]).is_err());
        assert!(CorrelationMatrix::from_rows(&[vec![0.9]]).is_err());
    }
}
