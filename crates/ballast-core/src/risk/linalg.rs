//! The little linear algebra the risk engine needs, on small dense
//! matrices (a handful of assets): the symmetric eigen-decomposition by
//! cyclic Jacobi rotations, and a Cholesky factor that tolerates a
//! semi-definite matrix.

use super::RiskError;

/// A square matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct SquareMatrix {
    n: usize,
    values: Vec<f64>,
}

impl SquareMatrix {
    pub fn zeros(n: usize) -> Self {
        Self { n, values: vec![0.0; n * n] }
    }

    pub fn identity(n: usize) -> Self {
        let mut m = Self::zeros(n);
        for i in 0..n {
            m.set(i, i, 1.0);
        }
        m
    }

    /// From rows, which must all have the matrix's size.
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Self, RiskError> {
        let n = rows.len();
        let mut values = Vec::with_capacity(n * n);
        for (i, row) in rows.iter().enumerate() {
            if row.len() != n {
                return Err(RiskError::new(
                    format!("matrix row {i}"),
                    format!("has {} entries; a {n}×{n} matrix needs {n}", row.len()),
                ));
            }
            values.extend_from_slice(row);
        }
        Ok(Self { n, values })
    }

    pub fn size(&self) -> usize {
        self.n
    }

    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.values[i * self.n + j]
    }

    pub fn set(&mut self, i: usize, j: usize, value: f64) {
        self.values[i * self.n + j] = value;
    }

    pub fn rows(&self) -> Vec<Vec<f64>> {
        self.values.chunks(self.n.max(1)).take(self.n).map(<[f64]>::to_vec).collect()
    }

    /// y = M·x.
    pub fn mul_vec(&self, x: &[f64], y: &mut [f64]) {
        for (i, yi) in y.iter_mut().enumerate().take(self.n) {
            *yi = self.values[i * self.n..(i + 1) * self.n].iter().zip(x).map(|(a, b)| a * b).sum();
        }
    }
}

/// Eigenvalues (descending) and their unit eigenvectors, the columns of
/// `vectors`: M = V·diag(values)·Vᵀ.
#[derive(Debug, Clone, PartialEq)]
pub struct Eigen {
    pub values: Vec<f64>,
    pub vectors: SquareMatrix,
}

/// Sweeps after which Jacobi gives up; quadratic convergence needs under 10
/// for the sizes used here.
const MAX_SWEEPS: usize = 64;

/// The eigen-decomposition of a symmetric matrix by cyclic Jacobi: each
/// rotation zeroes one off-diagonal pair, and sweeps repeat until the
/// off-diagonal mass is negligible against the whole. Slow for big
/// matrices, accurate and simple for a handful of assets.
pub fn symmetric_eigen(m: &SquareMatrix) -> Result<Eigen, RiskError> {
    let n = m.size();
    for i in 0..n {
        for j in 0..n {
            if !m.get(i, j).is_finite() {
                return Err(RiskError::new(format!("matrix[{i}][{j}]"), "is not a finite number"));
            }
            if m.get(i, j) != m.get(j, i) {
                return Err(RiskError::new(format!("matrix[{i}][{j}]"), "differs from its mirror; not symmetric"));
            }
        }
    }
    let mut a = m.clone();
    let mut v = SquareMatrix::identity(n);
    let total: f64 = a.values.iter().map(|x| x * x).sum();
    for _ in 0..MAX_SWEEPS {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a.get(i, j).powi(2))
            .sum();
        if off <= f64::EPSILON * f64::EPSILON * total {
            return Ok(sorted(a, v));
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a.get(p, q);
                if apq == 0.0 {
                    continue;
                }
                // The rotation angle φ with cot 2φ = θ; t = tan φ is the
                // smaller root of t² + 2θt − 1 = 0, for stability.
                let theta = (a.get(q, q) - a.get(p, p)) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a.get(k, p), a.get(k, q));
                    a.set(k, p, c * akp - s * akq);
                    a.set(k, q, s * akp + c * akq);
                }
                for k in 0..n {
                    let (apk, aqk) = (a.get(p, k), a.get(q, k));
                    a.set(p, k, c * apk - s * aqk);
                    a.set(q, k, s * apk + c * aqk);
                }
                for k in 0..n {
                    let (vkp, vkq) = (v.get(k, p), v.get(k, q));
                    v.set(k, p, c * vkp - s * vkq);
                    v.set(k, q, s * vkp + c * vkq);
                }
            }
        }
    }
    Err(RiskError::new("matrix", format!("the eigenvalues did not converge in {MAX_SWEEPS} Jacobi sweeps")))
}

/// The diagonal as eigenvalues, largest first, with their vectors.
fn sorted(a: SquareMatrix, v: SquareMatrix) -> Eigen {
    let n = a.size();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a.get(j, j).total_cmp(&a.get(i, i)));
    let mut vectors = SquareMatrix::zeros(n);
    for (col, &from) in order.iter().enumerate() {
        for row in 0..n {
            vectors.set(row, col, v.get(row, from));
        }
    }
    Eigen { values: order.iter().map(|&i| a.get(i, i)).collect(), vectors }
}

/// The lower-triangular L with M = L·Lᵀ for a symmetric positive
/// semi-definite M. A pivot that comes out zero (within rounding of the
/// diagonal's scale) is a direction with no variance, e.g. two perfectly
/// correlated assets: its column is left zero instead of failing. A pivot
/// clearly below zero, or a zero pivot whose row still covaries with a later
/// one, means M is not semi-definite, and is an error.
pub fn cholesky(m: &SquareMatrix) -> Result<SquareMatrix, RiskError> {
    let n = m.size();
    let scale = (0..n).map(|i| m.get(i, i).abs()).fold(0.0, f64::max);
    let tolerance = 1e-12 * scale.max(f64::MIN_POSITIVE);
    let mut l = SquareMatrix::zeros(n);
    for j in 0..n {
        let pivot = m.get(j, j) - (0..j).map(|k| l.get(j, k).powi(2)).sum::<f64>();
        if pivot < -tolerance || pivot.is_nan() {
            return Err(RiskError::new(
                "matrix",
                format!("is not positive semi-definite (pivot {j} is {pivot:e}); repair it first"),
            ));
        }
        let root = if pivot <= tolerance { 0.0 } else { pivot.sqrt() };
        l.set(j, j, root);
        for i in j + 1..n {
            let residual = m.get(i, j) - (0..j).map(|k| l.get(i, k) * l.get(j, k)).sum::<f64>();
            if root > 0.0 {
                l.set(i, j, residual / root);
            } else if residual.abs() > tolerance.sqrt() {
                // A direction without variance cannot covary with anything.
                return Err(RiskError::new(
                    "matrix",
                    format!("is not positive semi-definite (row {j} has no variance left but covaries with row {i}); repair it first"),
                ));
            }
        }
    }
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: &[&[f64]]) -> SquareMatrix {
        SquareMatrix::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn jacobi_finds_the_eigenpairs_of_a_path_graph_matrix() {
        // I + adjacency of the path 1–2–3: eigenvalues 1 + √2, 1, 1 − √2, with
        // vectors (1, √2, 1)/2, (1, 0, −1)/√2 and (1, −√2, 1)/2.
        let m = matrix(&[&[1.0, 1.0, 0.0], &[1.0, 1.0, 1.0], &[0.0, 1.0, 1.0]]);
        let e = symmetric_eigen(&m).unwrap();
        let r2 = std::f64::consts::SQRT_2;
        for (got, want) in e.values.iter().zip([1.0 + r2, 1.0, 1.0 - r2]) {
            assert!((got - want).abs() < 1e-14, "{:?}", e.values);
        }
        let expected = [[0.5, r2 / 2.0, 0.5], [1.0 / r2, 0.0, -1.0 / r2], [0.5, -r2 / 2.0, 0.5]];
        for (col, want) in expected.iter().enumerate() {
            // An eigenvector's sign is arbitrary.
            let sign = e.vectors.get(0, col).signum();
            for (row, w) in want.iter().enumerate() {
                assert!((sign * e.vectors.get(row, col) - w).abs() < 1e-14, "{:?}", e.vectors);
            }
        }
    }

    #[test]
    fn cholesky_of_a_two_by_two_correlation() {
        // [[1, ρ], [ρ, 1]] = L·Lᵀ with L = [[1, 0], [ρ, √(1 − ρ²)]].
        let l = cholesky(&matrix(&[&[1.0, 0.6], &[0.6, 1.0]])).unwrap();
        assert_eq!(l.rows(), vec![vec![1.0, 0.0], vec![0.6, 0.8]]);
    }

    #[test]
    fn cholesky_accepts_perfect_correlation_and_refuses_an_indefinite_matrix() {
        let l = cholesky(&matrix(&[&[1.0, 1.0, 0.5], &[1.0, 1.0, 0.5], &[0.5, 0.5, 1.0]])).unwrap();
        // The second asset is the first: its own column is empty.
        assert_eq!(l.rows()[1], vec![1.0, 0.0, 0.0]);
        assert!((l.get(2, 2) - 0.75f64.sqrt()).abs() < 1e-15);
        let e = cholesky(&matrix(&[&[1.0, 1.0, 0.0], &[1.0, 1.0, 1.0], &[0.0, 1.0, 1.0]])).unwrap_err();
        assert!(e.problem.contains("not positive semi-definite"), "{e}");
    }
}
