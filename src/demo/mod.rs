//! (placeholder until the demo server lands)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persona {
    Nicholas,
    Student,
}
impl std::str::FromStr for Persona {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "nicholas" => Ok(Persona::Nicholas),
            "student" => Ok(Persona::Student),
            _ => Err(format!("unknown persona {s}")),
        }
    }
}
#[derive(clap::Args, Debug, Clone)]
pub struct DemoServerArgs {
    #[arg(long, default_value = "nicholas")]
    pub persona: Persona,
}
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {}
pub struct DemoServer;
impl DemoServer {
    pub async fn start(_o: DemoOptions) -> eyre::Result<DemoServer> {
        eyre::bail!("placeholder")
    }
    pub fn token_for(&self, _p: Persona) -> String {
        String::new()
    }
    pub fn url(&self) -> String {
        String::new()
    }
    pub async fn shutdown(self) {}
}
pub async fn run_cli(_a: DemoServerArgs) -> eyre::Result<()> {
    eyre::bail!("placeholder")
}
